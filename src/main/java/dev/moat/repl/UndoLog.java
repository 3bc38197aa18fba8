package dev.moat.repl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.moat.journal.Ledger;
import dev.moat.journal.Restorer;
import dev.moat.journal.Snapshots;
import dev.moat.journal.Undo;
import dev.moat.transport.Transport;

/**
 * What this shell changed, command by command, as journaled on the host under the session's run
 * id. Each run gets {@link #snapshots()} that number its entries after the previous runs' ones;
 * {@link #undo} restores the newest command that still has entries left, through the
 * {@link Restorer} (newest entry first, reloads last), and says what it could not restore and
 * what can never be undone.
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
        List<Restorer.Item> pending = new ArrayList<>();
        for (Ledger.Entry e : ledger.entries()) {
            seqOffset = Math.max(seqOffset, snaps.map(e.seq()));
            if (!e.restored()) pending.add(new Restorer.Item(snaps.map(e.seq()), e.undo(), e.task()));
        }
        if (!pending.isEmpty()) changes.push(new Change(command, pending));
    }

    boolean isEmpty() {
        return newest() == null;
    }

    /** Restores the newest command's remaining entries over {@code host}; null when nothing is left. */
    Report undo(Transport host) {
        Change c = newest();
        if (c == null) return null;
        Restorer.Outcome o = new Restorer(journal, runId).restore(host::exec, c.pending());
        List<String> restored = new ArrayList<>();
        for (Restorer.Item i : o.settled()) {
            c.restored(i);
            if (!(i.undo() instanceof Undo.Irreversible)) restored.add(Restorer.describe(i.undo()));
        }
        return new Report(c.command(), restored, o.problems(), o.irreversible(), c.done());
    }

    private Change newest() {
        for (Change c : changes) if (!c.done()) return c;
        return null;
    }
}
