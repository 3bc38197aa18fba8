package dev.moat.transport;

/** POSIX shell quoting. */
public final class Sh {
    private Sh() {}

    /** Quotes {@code s} as one shell word: {@code it's} becomes {@code 'it'\''s'}. */
    public static String q(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=@%+,-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * {@code script} in a subshell of its own statement, then {@code onFailure} with the status in
     * {@code $r}. Written as {@code ( script ) || ...} instead, the shell would ignore every
     * {@code set -e} inside the subshell (POSIX: errexit is off on the left of {@code ||}), and a
     * failed command there would go unnoticed.
     */
    public static String subshell(String script, String onFailure) {
        return "(\n" + script + "\n)\nr=$?; if [ \"$r\" != 0 ]; then " + onFailure + "; fi\n";
    }
}
