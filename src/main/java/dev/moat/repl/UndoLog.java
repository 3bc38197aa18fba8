package dev.moat.repl;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.moat.journal.Ledger;
import dev.moat.journal.Snapshots;
import dev.moat.journal.Undo;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

/**
 * What this shell changed, command by command, as journaled on the host under the session's run
 * id. Each run gets {@link #snapshots()} that number its entries after the previous runs' ones;
 * {@link #undo} restores the newest command that still has entries left, newest entry first, and
 * says what it could not restore and what can never be undone.
 */
final class UndoLog {
    /** What one {@code :undo} did. */
    record Report(String command, List<String> restored, List<String> problems, List<String> irreversible, boolean complete) {}

    private final Snapshots journal;
    private final String runId;
    private final Deque<Change> changes = new ArrayDeque<>();
    private int seqOffset;

    UndoLog(Snapshots journal, String runId) {
        this.journal = journal;
        this.runId = runId;
    }

    /** The journal as the next run writes to it. */
    SessionSnapshots snapshots() {
        return new SessionSnapshots(journal, seqOffset);
    }

    /** Records the entries a run left that its own rollback did not restore. */
    void record(Ledger ledger, SessionSnapshots snaps, String command) {
        if (ledger == null) return;
        List<Change.Entry> pending = new ArrayList<>();
        for (Ledger.Entry e : ledger.entries()) {
            seqOffset = Math.max(seqOffset, snaps.map(e.seq()));
            if (!e.restored()) pending.add(new Change.Entry(snaps.map(e.seq()), e.undo(), e.task()));
        }
        if (!pending.isEmpty()) changes.push(new Change(command, pending));
    }

    boolean isEmpty() {
        return newest() == null;
    }

    /** Restores the newest command's remaining entries over {@code host}; null when nothing is left. */
    Report undo(Transport host) throws IOException {
        Change c = newest();
        if (c == null) return null;
        List<String> restored = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> irreversible = new ArrayList<>();
        for (Change.Entry e : c.pending()) {
            if (e.undo() instanceof Undo.Irreversible i) {
                irreversible.add(i.what());
                c.restored(e); // settled: nothing more can be done for it
                continue;
            }
            ExecResult r = host.exec(Command.root(journal.restore(runId, e.seq(), e.undo())));
            if (r.ok()) {
                restored.add(describe(e.undo()));
                c.restored(e);
            } else {
                String why = (r.err().isBlank() ? r.out() : r.err()).strip();
                problems.add(describe(e.undo()) + ": " + (why.contains("\n") ? why.substring(0, why.indexOf('\n')) + " ..." : why));
            }
        }
        return new Report(c.command(), restored, problems, irreversible, c.done());
    }

    private Change newest() {
        for (Change c : changes) if (!c.done()) return c;
        return null;
    }

    static String describe(Undo u) {
        if (u instanceof Undo.RestorePath p) return p.path();
        if (u instanceof Undo.RestoreFirewall) return "the firewall (/etc/ufw and its state)";
        if (u instanceof Undo.RemovePackages r) return "packages " + String.join(", ", r.names()) + " (removed)";
        if (u instanceof Undo.RestoreService s) return "service " + s.name();
        if (u instanceof Undo.RecreateCompose c) return "compose services " + c.services() + " of " + c.composeFile();
        if (u instanceof Undo.Irreversible i) return i.what();
        return u.toString();
    }
}
