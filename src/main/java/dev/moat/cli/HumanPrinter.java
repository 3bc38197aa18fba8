package dev.moat.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import dev.moat.engine.HostRecap;
import dev.moat.engine.RunListener;
import dev.moat.engine.Status;
import dev.moat.engine.TaskResult;
import dev.moat.journal.Undo;
import dev.moat.module.Diff;
import dev.moat.module.UnifiedDiff;

/**
 * Ansible-like output for people: a line per task result per host, diffs when asked, a recap. On a
 * terminal a live progress line (hosts done / total, current task) is redrawn below the results.
 * Every line passes through {@code mask} so no secret value is ever printed.
 */
final class HumanPrinter implements RunListener {
    private final PrintWriter out;
    private final boolean tty;
    private final boolean diff;
    private final int verbosity;
    private final UnaryOperator<String> mask;
    private final Map<String, String> current = new ConcurrentHashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private int total;
    private boolean check;
    private boolean progressShown;

    HumanPrinter(PrintWriter out, boolean tty, boolean diff, int verbosity, UnaryOperator<String> mask) {
        this.out = out;
        this.tty = tty;
        this.diff = diff;
        this.verbosity = verbosity;
        this.mask = mask;
    }

    @Override
    public synchronized void runStart(String runId, String playbook, List<String> hosts, boolean check) {
        total = hosts.size();
        this.check = check;
        println((check ? "CHECK " : "APPLY ") + playbook + " on " + hosts.size() + " host" + (hosts.size() == 1 ? "" : "s")
                + " (run " + runId + ")");
    }

    @Override
    public synchronized void playStart(String play, List<String> hosts) {
        println("");
        println("PLAY [" + (play == null ? "" : play) + "] " + "*".repeat(Math.max(3, 60 - String.valueOf(play).length())));
        if (hosts.isEmpty()) println("skipping: no hosts matched");
    }

    @Override
    public synchronized void taskStart(String host, String task) {
        current.put(host, task);
        progress();
    }

    @Override
    public synchronized void detail(String host, String text) {
        if (verbosity > 0) println((host == null ? "" : "[" + host + "] ") + text);
    }

    @Override
    public synchronized void taskResult(TaskResult r) {
        if (r.status() == Status.SKIPPED && verbosity == 0) {
            return;
        }
        StringBuilder line = new StringBuilder();
        // A delegated task's message starts "-> DELEGATE": shown as Ansible shows it, [h1 -> h3].
        String via = r.message() != null && r.message().startsWith("-> ") ? r.message().split("[: ]", 3)[1] : null;
        line.append(label(r)).append(": [").append(r.host()).append(via == null ? "" : " -> " + via).append("] ").append(r.task());
        if (r.status() == Status.FAILED || r.status() == Status.UNREACHABLE) {
            if (r.where() != null) line.append(" (").append(r.where()).append(')');
            line.append("\n    ").append(r.noLog() ? "the output has been hidden due to no_log" : String.valueOf(r.message()));
            if (r.ignored()) line.append("\n    ...ignoring");
        } else if (r.message() != null && !r.noLog() && r.module() != null
                && (r.module().equals("debug") || r.module().equals("rollback") || r.module().equals("reboot"))) {
            line.append("\n    ").append(r.message());
        }
        println(line.toString());
        if (!r.noLog() && (diff || verbosity > 0) && !r.diffs().isEmpty()) {
            for (Diff d : r.diffs()) printDiff(d);
        }
        // Check mode names what a rollback could not reverse, before anyone applies it.
        if (!r.noLog() && (verbosity > 0 || (check && r.changed()))) {
            for (Undo u : r.undo()) if (u instanceof Undo.Irreversible i) println("    (cannot be undone exactly: " + i.what() + ")");
        }
        if (r.status() == Status.UNREACHABLE || (r.fatal())) done.add(r.host());
        progress();
    }

    private void printDiff(Diff d) {
        if (d.hidden()) {
            println("--- " + d.beforeHeader() + "\n+++ " + d.afterHeader() + "\n    (contents hidden: a secret file)");
            return;
        }
        boolean text = d.before() != null && d.after() != null;
        if (text && (d.before().contains("\n") || d.after().contains("\n") || d.beforeHeader().equals(d.afterHeader()))) {
            for (String l : UnifiedDiff.render(d.beforeHeader(), d.afterHeader(), d.before(), d.after()).split("\n")) {
                println(color(l));
            }
        } else {
            println("--- " + d.beforeHeader() + "\n+++ " + d.afterHeader());
            println(color("-" + d.before()));
            println(color("+" + d.after()));
        }
    }

    private String color(String l) {
        if (!tty) return l;
        if (l.startsWith("+") && !l.startsWith("+++")) return "\u001b[32m" + l + "\u001b[0m";
        if (l.startsWith("-") && !l.startsWith("---")) return "\u001b[31m" + l + "\u001b[0m";
        if (l.startsWith("@@")) return "\u001b[36m" + l + "\u001b[0m";
        return l;
    }

    private String label(TaskResult r) {
        String s = r.status() == Status.UNREACHABLE ? "unreachable" : r.status().label();
        if (!tty) return s;
        switch (r.status()) {
            case CHANGED: return "\u001b[33m" + s + "\u001b[0m";
            case FAILED: case UNREACHABLE: return "\u001b[31m" + s + "\u001b[0m";
            case OK: return "\u001b[32m" + s + "\u001b[0m";
            default: return "\u001b[36m" + s + "\u001b[0m";
        }
    }

    @Override
    public synchronized void runEnd(String runId, Map<String, HostRecap> recap, int exitCode, long millis) {
        clearProgress();
        out.println();
        out.println("PLAY RECAP " + "*".repeat(60));
        int width = 4;
        for (String h : recap.keySet()) width = Math.max(width, h.length());
        for (HostRecap r : new java.util.TreeMap<>(recap).values()) {
            out.printf("%-" + width + "s : ok=%-4d changed=%-4d unreachable=%-4d failed=%-4d skipped=%-4d ignored=%d%s%n",
                    r.host(), r.ok(), r.changed(), r.unreachable(), r.failed(), r.skipped(), r.ignored(),
                    r.note() == null ? "" : "  " + r.note());
        }
        out.printf("%nfinished in %.1f s, exit %d%n", millis / 1000.0, exitCode);
        out.flush();
    }

    private void println(String s) {
        clearProgress();
        out.println(mask.apply(s));
        out.flush();
    }

    private void progress() {
        if (!tty || total == 0) return;
        clearProgress();
        String task = current.values().stream().findFirst().orElse("");
        // Mask before cutting: a secret cut in half would no longer match its mask.
        String line = mask.apply("[" + done.size() + "/" + total + " hosts done] " + task);
        if (line.length() > 100) line = line.substring(0, 100);
        out.print("\u001b[2m" + line + "\u001b[0m");
        out.flush();
        progressShown = true;
    }

    private void clearProgress() {
        if (progressShown) {
            out.print("\r\u001b[2K");
            progressShown = false;
        }
    }
}
