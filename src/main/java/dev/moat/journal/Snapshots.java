package dev.moat.journal;

/**
 * The engine's port to the on-host journal: scripts that open a run's journal, snapshot what an
 * {@link Undo} needs before a change, and restore it. Implemented by {@code dev.moat.journal.Journal}.
 */
public interface Snapshots {
    String open(String runId);

    String snapshot(String runId, int seq, Undo undo);

    String restore(String runId, int seq, Undo undo);

    /**
     * Records, right after a change's steps ran (failed or not), what the change turned out to be
     * (the packages an install really added, dependencies included); null when the entry needs nothing.
     */
    default String settle(String runId, int seq, Undo undo) {
        return null;
    }

    /** The undo as {@link #settle}'s output {@code out} completes it (the full package set), else {@code undo}. */
    default Undo settled(Undo undo, String out) {
        return undo;
    }

    /** Records, at the end of a run, the state the entry's resource was left in. */
    String seal(String runId, int seq, Undo undo);

    /** Exits non-zero, saying what differs, when the resource changed since the run sealed it. */
    String changedSince(String runId, int seq, Undo undo);
}
