package dev.moat.repl;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.MoatException;
import dev.moat.engine.Catalog;
import dev.moat.engine.RunListener;
import dev.moat.engine.Runner;
import dev.moat.engine.TaskResult;
import dev.moat.journal.Journal;
import dev.moat.module.ArgSpec;
import dev.moat.module.Args;
import dev.moat.module.Module;
import dev.moat.playbook.ModuleCatalog;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.yaml.YamlException;

/**
 * One shell session on one host: runs what each line asks over the session's one connection. A
 * module line becomes a one-task playbook run by the real engine ({@link Runner}), so it is
 * validated, planned, journaled and (on failure) rolled back exactly as in {@code moat apply}.
 * Every change is journaled on the host under the session's run id; {@code :undo} restores the
 * newest command's entries that are not restored yet, newest first.
 */
final class ShellSession implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of {@code :history}. */
    private record Entry(String text, Outcome outcome) {}

    private final ShellSetup setup;
    private final SessionTransport transport;
    private final PrintWriter out;
    private final boolean color;
    private final String runId;
    private final UndoLog undo;
    private final SessionRun runs;
    private final ModuleCatalog catalog;
    private final LineParser parser;
    private final Secrets secrets = new Secrets();
    private final Path scratch;
    private final RemotePaths paths;
    private final List<Entry> history = new ArrayList<>();
    private final List<Integer> undone = new ArrayList<>();
    private boolean check;
    private boolean diff = true;
    private volatile Runner running;

    ShellSession(ShellSetup setup, SessionTransport transport, PrintWriter out, boolean color) throws IOException {
        this.setup = setup;
        this.transport = transport;
        this.out = out;
        this.color = color;
        dev.moat.vault.Vault.current().onReveal(secrets::add);
        this.runId = newRunId();
        this.undo = new UndoLog(new Journal(setup.journalDir()), runId);
        this.runs = new SessionRun(setup, transport, runId, undo);
        this.catalog = Catalog.of(setup.modules());
        this.parser = new LineParser(catalog);
        this.scratch = Files.createTempDirectory("moat-shell");
        this.paths = new RemotePaths(transport.borrowed(), become());
    }

    String host() {
        return setup.host();
    }

    String runId() {
        return runId;
    }

    boolean check() {
        return check;
    }

    void check(boolean on) {
        check = on;
    }

    RemotePaths paths() {
        return paths;
    }

    String prompt() {
        return setup.host() + (check ? " [check]" : "") + "> ";
    }

    /** Whether {@code text} names a secret argument with a literal value: such a line stays out of the history file. */
    boolean holdsSecret(String text) {
        try {
            Line l = parser.parse(text);
            return l instanceof Line.ModuleCall c && !secretValues(c).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code text} as it may be shown (echoed, listed in :history): literal values of secret arguments masked. */
    String shown(String text) {
        try {
            Line l = parser.parse(text);
            return l instanceof Line.ModuleCall c ? display(c, text) : text;
        } catch (RuntimeException e) {
            return text;
        }
    }

    /** Runs one line; bad input and failures are reported in one line and the session goes on. */
    Outcome execute(String text) {
        Thread.interrupted(); // a Ctrl-C aimed at the previous command is spent
        Outcome o;
        String shown = text.strip();
        try {
            Line line = parser.parse(text);
            if (line instanceof Line.Empty) return Outcome.OK;
            if (line instanceof Line.ModuleCall c) shown = display(c, text.strip());
            o = dispatch(line, shown);
        } catch (BadInput | MoatException e) {
            error(e.getMessage());
            o = Outcome.FAILED;
        } catch (IOException e) {
            error(e.getMessage());
            o = Outcome.FAILED;
        } catch (RuntimeException e) {
            error("internal error: " + e);
            o = Outcome.FAILED;
        } finally {
            running = null;
            paths.clear();
            out.flush();
        }
        if (!shown.isEmpty() && !shown.startsWith(":history") && o != Outcome.QUIT) history.add(new Entry(shown, o));
        return o;
    }

    /**
     * Ctrl-C: stops a run after its current task (the engine finishes and, on failure, rolls it
     * back); a second Ctrl-C, or one during any other command, interrupts the command's thread.
     */
    void cancel(Thread worker, int presses) {
        Runner r = running;
        if (r != null && presses == 1) {
            r.stop();
            out.println("^C stopping after the current task (Ctrl-C again to abandon it)");
        } else {
            worker.interrupt();
            out.println("^C cancelled");
        }
        out.flush();
    }

    private Outcome dispatch(Line line, String shown) throws IOException {
        if (line instanceof Line.Empty) return Outcome.OK;
        if (line instanceof Line.Bang b) return bang(b.command());
        if (line instanceof Line.ModuleCall c) return module(c, shown);
        Line.Colon c = (Line.Colon) line;
        switch (c.name()) {
            case "quit": case "q": case "exit":
                return Outcome.QUIT;
            case "help": case "h": case "?":
                return help(c.arg());
            case "check":
                check = onOff("check", c.arg(), check);
                out.println("check mode " + (check ? "on: nothing will be changed" : "off"));
                return Outcome.OK;
            case "diff":
                diff = onOff("diff", c.arg(), diff);
                out.println("diffs " + (diff ? "on" : "off"));
                return Outcome.OK;
            case "facts":
                return facts();
            case "play":
                return play(c.arg(), check, "play");
            case "drift":
                return play(c.arg(), true, "drift");
            case "undo":
                return undo();
            case "history":
                return history();
            default:
                throw new BadInput("unknown command ':" + c.name() + "'; :help lists the commands");
        }
    }

    // ---- modules and playbooks -----------------------------------------------------------------

    private Outcome module(Line.ModuleCall c, String shown) throws IOException {
        for (String v : secretValues(c)) secrets.add(v);
        Map<String, Object> task = new LinkedHashMap<>();
        task.put(c.module(), c.args());
        Map<String, Object> play = new LinkedHashMap<>();
        play.put("hosts", setup.host());
        play.put("tasks", List.of(task));
        Path file = scratch.resolve("shell.yml");
        Files.writeString(file, JSON.writeValueAsString(List.of(play)), StandardCharsets.UTF_8);
        Playbook pb;
        try {
            pb = PlaybookLoader.load(file, catalog);
        } catch (YamlException e) {
            String msg = e.getMessage();
            String prefix = e.mark() + ": ";
            throw new BadInput(msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg);
        }
        RunListener printer = setup.printers().create(out, color, diff, secrets::mask);
        RunListener results = new RunListener() {
            @Override public void taskResult(TaskResult r) { printer.taskResult(withoutPlace(r)); }
            @Override public void detail(String host, String text) { printer.detail(host, text); }
        };
        return run(pb, new Templar(setup.workDir(), secrets), check, results, shown);
    }

    private Outcome play(String arg, boolean checkOnly, String what) throws IOException {
        if (arg.isEmpty()) throw new BadInput(":" + what + " needs a playbook file: :" + what + " site.yml");
        Path file = Path.of(arg.startsWith("~/") ? System.getProperty("user.home") + arg.substring(1) : arg);
        if (!file.isAbsolute()) file = setup.workDir().resolve(file);
        Playbook pb = PlaybookLoader.load(file, catalog);
        RunListener printer = setup.printers().create(out, color, checkOnly && what.equals("drift") || diff, secrets::mask);
        Outcome o = run(pb, new Templar(pb.dir(), secrets), checkOnly, printer, ":" + what + " " + arg);
        if (what.equals("drift")) {
            out.println(o == Outcome.CHANGED ? "drift: " + setup.host() + " differs from " + arg + " (nothing was changed)"
                    : o == Outcome.OK ? "no drift: " + setup.host() + " matches " + arg : "drift check failed");
        }
        return o;
    }

    private Outcome run(Playbook pb, Templar templar, boolean checkOnly, RunListener listener, String label) throws IOException {
        try {
            return runs.run(pb, templar, checkOnly, diff, listener, label, holder(label), r -> running = r);
        } finally {
            running = null;
        }
    }

    // ---- undo ----------------------------------------------------------------------------------

    private Outcome undo() throws IOException {
        if (undo.isEmpty()) {
            out.println("nothing to undo: no change made in this shell is left");
            return Outcome.OK;
        }
        if (check) throw new BadInput(":undo changes the host; turn check mode off first (:check off)");
        UndoLog.Report r;
        try (ChangeLock.Held held = lock(":undo")) {
            r = undo.undo(transport);
        }
        if (r.complete()) markUndone(r.command());
        out.println((r.problems().isEmpty() ? "undone: " : "partly undone: ") + r.command());
        for (String s : r.restored()) out.println("    restored " + s);
        for (String s : r.problems()) out.println("    NOT restored " + s);
        for (String s : r.irreversible()) out.println("    cannot be undone, left as it is: " + s);
        return r.problems().isEmpty() ? (r.restored().isEmpty() ? Outcome.OK : Outcome.CHANGED) : Outcome.FAILED;
    }

    private void markUndone(String command) {
        for (int i = history.size() - 1; i >= 0; i--) {
            Entry e = history.get(i);
            if (!undone.contains(i) && e.outcome() == Outcome.CHANGED && e.text().equals(command)) {
                undone.add(i);
                return;
            }
        }
    }

    // ---- the other commands --------------------------------------------------------------------

    private Outcome bang(String command) throws IOException {
        ExecResult r;
        // A command may change the host as much as a module, check mode or not (it runs for real): locked too.
        try (ChangeLock.Held held = lock("!" + command)) {
            r = transport.exec(Command.of(command, become()));
        }
        String so = r.out(), se = r.err();
        if (!so.isEmpty()) out.print(so.endsWith("\n") ? so : so + "\n");
        if (!se.isEmpty()) out.print(paint(se.endsWith("\n") ? se : se + "\n", "31"));
        out.println(paint("exit " + r.rc(), r.ok() ? "2" : "31"));
        return r.ok() ? Outcome.OK : Outcome.FAILED;
    }

    private Outcome facts() throws IOException {
        ExecResult r = transport.exec(Command.of(HostFacts.SCRIPT, become()));
        if (r.stdout().length == 0) throw new IOException("reading facts failed (exit " + r.rc() + "): " + firstLine(r.err()));
        out.println(HostFacts.render(HostFacts.parse(r.out())));
        return Outcome.OK;
    }

    private Outcome help(String arg) {
        if (arg.isEmpty()) {
            out.println(Help.overview(setup.modules()));
            return Outcome.OK;
        }
        Module<?> m = setup.modules().get(LineParser.shortName(arg));
        if (m == null) {
            throw new BadInput("no module '" + arg + "'; modules: " + String.join(", ", setup.modules().keySet()));
        }
        out.println(Help.module(m.name(), m.spec()));
        return Outcome.OK;
    }

    private Outcome history() {
        if (history.isEmpty()) {
            out.println("no commands yet");
            return Outcome.OK;
        }
        for (int i = 0; i < history.size(); i++) {
            Entry e = history.get(i);
            out.printf("%4d  %-8s %s%s%n", i + 1, e.outcome().label(), e.text(), undone.contains(i) ? "  (undone)" : "");
        }
        return Outcome.OK;
    }

    private static boolean onOff(String what, String arg, boolean current) {
        switch (arg.toLowerCase(java.util.Locale.ROOT)) {
            case "": return !current;
            case "on": case "true": case "yes": return true;
            case "off": case "false": case "no": return false;
            default: throw new BadInput(":" + what + " takes on or off, not '" + arg + "'");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** An ad-hoc task's place is in the shell's scratch playbook: meaningless to the user. */
    private static TaskResult withoutPlace(TaskResult r) {
        return new TaskResult(r.host(), r.task(), r.module(), null, r.status(), r.ignored(), r.message(), r.diffs(), r.undo(),
                r.registered(), r.millis(), r.noLog(), r.items());
    }

    private boolean become() {
        Object b = setup.inventory().templateVars(setup.host()).get("ansible_become");
        return b != null && Boolean.TRUE.equals(Args.toBool(b));
    }

    /** The literal values of secret arguments in a module line: masked in output, kept out of history. */
    private List<String> secretValues(Line.ModuleCall c) {
        List<String> out = new ArrayList<>();
        Module<?> m = setup.modules().get(LineParser.shortName(c.module()));
        if (m == null || !(c.args() instanceof Map<?, ?> args)) return out;
        for (Map.Entry<?, ?> e : args.entrySet()) {
            ArgSpec a = m.spec().find(String.valueOf(e.getKey())).orElse(null);
            if (a != null && a.secret()) leaves(e.getValue(), out);
        }
        return out;
    }

    /** The scalar values inside {@code v}: a secret mapping's values ({@code users: {bob: PASSWORD}}), not its keys. */
    private static void leaves(Object v, List<String> out) {
        if (v instanceof Map<?, ?> m) {
            for (Object x : m.values()) leaves(x, out);
        } else if (v instanceof List<?> l) {
            for (Object x : l) leaves(x, out);
        } else if (v != null && !String.valueOf(v).isEmpty()) {
            out.add(String.valueOf(v));
        }
    }

    /** The line as :history shows it, secret values masked. */
    private String display(Line.ModuleCall c, String text) {
        String s = text;
        for (String v : secretValues(c)) s = s.replace(v, Secrets.MASK);
        return s;
    }

    /** Takes the host's lock for {@code what}, telling the user what taking it reverted. */
    private ChangeLock.Held lock(String what) throws IOException {
        ChangeLock.Held held = setup.lock().acquire(transport.borrowed(), runId, holder(what));
        for (String n : held.notices()) out.println(paint("warning: " + n, "33"));
        return held;
    }

    private String holder(String what) {
        // Only what kind of change: the line itself may carry a secret typed inline, and this text is
        // stored on the host and shown to any run the lock refuses.
        String kind = what.startsWith("!") ? "a ! command" : what.strip().split("\\s+", 2)[0];
        return "moat shell (run " + runId + ", pid " + ProcessHandle.current().pid() + "): " + secrets.mask(kind);
    }

    private String paint(String s, String sgr) {
        return color ? "\u001b[" + sgr + "m" + s + "\u001b[0m" : s;
    }

    private void error(String msg) {
        out.println(paint("error: " + secrets.mask(firstLine(String.valueOf(msg))), "31"));
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl) + " ...";
    }

    private static String newRunId() {
        String t = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now());
        return t + "-" + String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));
    }

    @Override
    public void close() {
        try (var s = Files.walk(scratch)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
