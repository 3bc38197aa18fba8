package dev.moat.transport;

/** POSIX shell quoting. */
public final class Sh {
    private Sh() {}

    /** Quotes {@code s} as one shell word: {@code it's} becomes {@code 'it'\''s'}. */
    public static String q(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=@%+,-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
