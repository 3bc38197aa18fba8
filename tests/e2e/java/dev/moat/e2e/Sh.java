package dev.moat.e2e;

/** POSIX shell quoting for the command lines tests send to hosts. */
public final class Sh {
    private Sh() {
    }

    /** {@code s} as one shell word: single-quoted, embedded single quotes escaped. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
