package dev.moat.journal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;

/**
 * Puts a host back from its journal. The one restore loop behind all three ways of undoing: a
 * failed run's own rollback, {@code moat rollback} of an earlier run, and the shell's
 * {@code :undo}. One ordering rule ({@link #order}) and one description of an undo
 * ({@link #describe}) serve all three.
 */
public final class Restorer {
    /** One journal entry to put back: its sequence number in the run, what undoes it, and the task that made it. */
    public record Item(int seq, Undo undo, String task) {}

    /**
     * What a restore did. {@code settled} are the items that need no further attempt: those restored
     * and those that can never be undone ({@code irreversible}, reported once). {@code problems}
     * say, one line each, what was not restored; {@code complete} is false when the host stopped
     * answering and the items after it were not attempted.
     */
    public record Outcome(List<Item> settled, int restored, List<String> irreversible, List<String> problems,
                          boolean complete) {
        public Outcome {
            settled = List.copyOf(settled);
            irreversible = List.copyOf(irreversible);
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** The host a restore runs on: one command at a time, as root. */
    @FunctionalInterface
    public interface Host {
        ExecResult exec(Command command) throws IOException;
    }

    private final Snapshots journal;
    private final String runId;

    public Restorer(Snapshots journal, String runId) {
        this.journal = journal;
        this.runId = runId;
    }

    /**
     * The order every rollback applies entries in: newest first, then every reload after every
     * restore, so a service loads its files as they are after the whole rollback, not after half of it.
     */
    public static List<Item> order(List<Item> items) {
        List<Item> newestFirst = new ArrayList<>(items);
        newestFirst.sort(Comparator.comparingInt(Item::seq).reversed());
        List<Item> out = new ArrayList<>();
        List<Item> reloads = new ArrayList<>();
        for (Item i : newestFirst) (i.undo() instanceof Undo.Reload ? reloads : out).add(i);
        out.addAll(reloads);
        return out;
    }

    /** Restores {@code items} in {@link #order}; every one is attempted unless the host stops answering. */
    public Outcome restore(Host host, List<Item> items) {
        List<Item> settled = new ArrayList<>();
        List<String> irreversible = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int restored = 0;
        boolean complete = true;
        for (Item i : order(items)) {
            if (i.undo() instanceof Undo.Irreversible x) {
                irreversible.add(x.what());
                settled.add(i);
                continue;
            }
            try {
                ExecResult r = host.exec(Command.root(journal.restore(runId, i.seq(), i.undo())));
                if (r.ok()) {
                    settled.add(i);
                    restored++;
                } else {
                    problems.add(problem(i, r));
                }
            } catch (IOException e) {
                problems.add(describe(i.undo()) + " (from '" + i.task() + "'): " + e.getMessage());
                complete = false;
                break;
            }
        }
        return new Outcome(settled, restored, irreversible, problems, complete);
    }

    private static String problem(Item i, ExecResult r) {
        String why = (r.err().isBlank() ? r.out() : r.err()).strip();
        if (why.contains("\n")) why = why.substring(0, why.indexOf('\n')) + " ...";
        return describe(i.undo()) + " (from '" + i.task() + "'): " + (why.isEmpty() ? "exit " + r.rc() : why);
    }

    /** What an undo puts back, in a few words, for reports. */
    public static String describe(Undo u) {
        if (u instanceof Undo.RestorePath p) return p.path();
        if (u instanceof Undo.RestoreJournaledPath p) return p.shown() + " (its path held a secret: taken from the host's journal)";
        if (u instanceof Undo.RestoreFirewall) return "the firewall (/etc/ufw and its state)";
        if (u instanceof Undo.RemovePackages r) return "packages " + String.join(", ", r.names()) + " (removed)";
        if (u instanceof Undo.RestoreService s) return "service " + s.name();
        if (u instanceof Undo.RestoreUnit s) return "unit " + s.name();
        if (u instanceof Undo.RestoreSysctl s) return "kernel parameter " + s.name();
        if (u instanceof Undo.RestoreSelection s) return "dpkg selection of " + s.name() + " (" + s.selection() + ")";
        if (u instanceof Undo.RecreateCompose c) return "compose services " + c.services() + " of " + c.composeFile();
        if (u instanceof Undo.RecreateContainer c) return "container " + c.name() + " with its original bindings";
        if (u instanceof Undo.RemoveDocker d) return d.kind() + " " + d.name() + (d.services().isEmpty() ? "" : " " + d.services()) + " (removed)";
        if (u instanceof Undo.Reload r) return (r.restart() ? "restart of " : "reload of ") + r.service();
        if (u instanceof Undo.Unmount m) return "mount " + m.path() + " (unmounted" + (m.removeDir() ? ", its directory removed)" : ")");
        if (u instanceof Undo.Irreversible i) return i.what();
        return u.toString();
    }
}
