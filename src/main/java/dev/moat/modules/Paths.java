package dev.moat.modules;

import dev.moat.module.ArgException;

/** Checks on remote paths given as arguments. */
final class Paths {
    private Paths() {}

    /** {@code value} without trailing slashes, required to be absolute. */
    static String absolute(String arg, String value) throws ArgException {
        if (value == null || !value.startsWith("/")) {
            throw new ArgException(arg, "argument '" + arg + "' must be an absolute path on the host, got '" + value + "'");
        }
        if (value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0) {
            throw new ArgException(arg, "argument '" + arg + "' contains a newline or NUL");
        }
        String v = value;
        while (v.length() > 1 && v.endsWith("/")) v = v.substring(0, v.length() - 1);
        return v;
    }

    /**
     * {@code path} with its {@code .} and {@code ..} components resolved as written (no symlinks
     * followed): {@code /x/..} is {@code /}, {@code /etc/./ssh} is {@code /etc/ssh}.
     */
    static String normalize(String path) {
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(c);
            }
        }
        return "/" + String.join("/", parts);
    }

    /** Directories a removal must never take: / and every top-level system directory. */
    static final java.util.Set<String> NEVER_REMOVED = java.util.Set.of("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib",
            "/lib32", "/lib64", "/libx32", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp",
            "/usr", "/var", "/snap", "/lost+found");

    static String basename(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        int i = p.lastIndexOf('/');
        return i < 0 ? p : p.substring(i + 1);
    }
}
