package dev.moat.engine;

/**
 * The engine's port to the on-host journal: scripts that open a run's journal, snapshot what an
 * {@link Undo} needs before a change, and restore it. Implemented by {@code dev.moat.journal.Journal}.
 */
public interface Snapshots {
    String open(String runId);

    String snapshot(String runId, int seq, Undo undo);

    String restore(String runId, int seq, Undo undo);
}
