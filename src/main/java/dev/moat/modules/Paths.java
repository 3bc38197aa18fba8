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

    static String basename(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        int i = p.lastIndexOf('/');
        return i < 0 ? p : p.substring(i + 1);
    }
}
