package dev.moat.repl;

import dev.moat.journal.Snapshots;
import dev.moat.journal.Undo;

/**
 * The journal as one shell session's runs see it. Every command of a session is a run of its own
 * with its own entry numbers from 1, but all are journaled under the session's one run id; this
 * shifts each run's numbers past the ones used before, so no snapshot overwrites another.
 */
final class SessionSnapshots implements Snapshots {
    private final Snapshots journal;
    private final int offset;

    SessionSnapshots(Snapshots journal, int offset) {
        this.journal = journal;
        this.offset = offset;
    }

    int map(int seq) {
        return seq + offset;
    }

    @Override
    public String open(String runId) {
        return journal.open(runId);
    }

    @Override
    public String snapshot(String runId, int seq, Undo undo) {
        return journal.snapshot(runId, map(seq), undo);
    }

    @Override
    public String restore(String runId, int seq, Undo undo) {
        return journal.restore(runId, map(seq), undo);
    }

    @Override
    public String settle(String runId, int seq, Undo undo) {
        return journal.settle(runId, map(seq), undo);
    }

    @Override
    public Undo settled(Undo undo, String out) {
        return journal.settled(undo, out);
    }

    @Override
    public String seal(String runId, int seq, Undo undo) {
        return journal.seal(runId, map(seq), undo);
    }

    @Override
    public String changedSince(String runId, int seq, Undo undo) {
        return journal.changedSince(runId, map(seq), undo);
    }
}
