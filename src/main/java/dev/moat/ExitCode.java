package dev.moat;

/** The exit codes of the README's command reference. When several apply: FAILED over UNREACHABLE over DRIFT over OK. */
public final class ExitCode {
    public static final int OK = 0;
    /** A host failed (and was rolled back). */
    public static final int FAILED = 1;
    /** check (or apply --check) found drift, or scan found an exposed port. */
    public static final int DRIFT = 2;
    /** A host was unreachable, a refused host key included. */
    public static final int UNREACHABLE = 3;
    public static final int USAGE = 64;
    /** Invalid inventory or playbook; the message names file:line:column. */
    public static final int INVALID = 65;
    public static final int INTERRUPTED = 130;

    private ExitCode() {}

    /** Combines two outcomes by the precedence 1 > 3 > 2 > 0. */
    public static int worst(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        switch (code) {
            case OK: return 0;
            case DRIFT: return 1;
            case UNREACHABLE: return 2;
            case FAILED: return 3;
            default: return 4;
        }
    }
}
