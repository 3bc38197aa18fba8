package dev.moat.module;

/**
 * What a change does, as data (Ansible's before/after with headers); the CLI renders it as a
 * unified diff for file contents or as a before/after for other state. Secrets never reach a Diff.
 */
public record Diff(String beforeHeader, String afterHeader, String before, String after) {
    /** The largest text a diff keeps (a host's file may be up to 16 MiB): over it, both sides only say their size. */
    public static final int MAX_TEXT = 1024 * 1024;

    public Diff {
        if (over(before) || over(after)) {
            before = omitted(before);
            after = omitted(after);
        }
    }

    private static boolean over(String s) {
        return s != null && s.length() > MAX_TEXT / 4 && bytes(s) > MAX_TEXT;
    }

    private static String omitted(String s) {
        return s == null ? null : "(diff omitted: " + bytes(s) + " bytes, over the 1 MiB moat shows)\n";
    }

    private static long bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    public static Diff of(String what, String before, String after) {
        return new Diff(what + " (before)", what + " (after)", before, after);
    }

    public static Diff file(String path, String before, String after) {
        return new Diff(path, path, before, after);
    }
}
