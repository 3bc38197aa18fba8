package dev.moat.journal;

/**
 * Where moat keeps its state on a host, root-only: the run journals, the remote lock and the
 * lockout guards. One place names it, so the journal, the lock and the guard cannot disagree.
 */
public final class StateDir {
    private StateDir() {}

    /** The root of moat's state on a host. */
    public static final String ROOT = "/var/lib/moat";

    /** Run journals: {@code RUNS/RUN_ID/SEQ/}. */
    public static final String RUNS = ROOT + "/runs";

    /** Armed lockout guards. */
    public static final String GUARDS = ROOT + "/guard";
}
