package dev.moat.scan;

import java.util.Locale;

/** Whether a bind address keeps a port on the host itself (loopback) or opens it to every network that reaches it. */
final class Loopback {
    private Loopback() {}

    /** True for 127.0.0.0/8, ::1, ::ffff:127.x and "localhost"; false for 0.0.0.0, ::, *, empty and any other address. */
    static boolean is(String address) {
        if (address == null) return false;
        String a = address.trim().toLowerCase(Locale.ROOT);
        if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1);
        int pct = a.indexOf('%');
        if (pct >= 0) a = a.substring(0, pct);
        if (a.startsWith("::ffff:")) a = a.substring("::ffff:".length());
        return a.equals("localhost") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1") || a.startsWith("127.");
    }
}
