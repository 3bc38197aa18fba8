package dev.moat.module;

/**
 * What a change does, as data (Ansible's before/after with headers); the CLI renders it as a
 * unified diff for file contents or as a before/after for other state. Secrets never reach a Diff:
 * a secret file's diff ({@link #hidden}) carries its path but no contents, and every printer and
 * the run record say "contents hidden".
 */
public record Diff(String beforeHeader, String afterHeader, String before, String after, boolean hidden) {
    /** The largest text a diff keeps (a host's file may be up to 16 MiB): over it, both sides only say their size. */
    public static final int MAX_TEXT = 1024 * 1024;

    public Diff {
        if (hidden) {
            before = null;
            after = null;
        } else if (over(before) || over(after)) {
            before = omitted(before);
            after = omitted(after);
        }
    }

    public Diff(String beforeHeader, String afterHeader, String before, String after) {
        this(beforeHeader, afterHeader, before, after, false);
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

    /**
     * A file's diff, its contents dropped when the file is secret: {@code mode} (octal text, the
     * mode it will have; null when unknown) gives no read to others, or it is under
     * {@code /etc/ssl/private}.
     */
    public static Diff file(String path, String before, String after, String mode) {
        return new Diff(path, path, before, after, secretFile(path, mode));
    }

    /** A file whose contents no output may show: mode without world-read, or under /etc/ssl/private. */
    public static boolean secretFile(String path, String mode) {
        if (path != null && (path.startsWith("/etc/ssl/private/") || path.equals("/etc/ssl/private"))) return true;
        if (mode == null || mode.isBlank()) return false;
        try {
            return (Integer.parseInt(mode.strip(), 8) & 04) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether this is a whole file's contents (rendered as a unified diff), not a before/after of one attribute. */
    public boolean isFile() {
        return beforeHeader != null && beforeHeader.equals(afterHeader);
    }
}
