package dev.moat.compose;

import java.util.Locale;

/**
 * IP address literals as Docker reads them in a published port: IPv4 dotted quads and IPv6 text
 * (with or without brackets). Parsed here, never resolved, so no name lookup can happen.
 */
public final class Ip {
    private Ip() {}

    /** The 16 bytes of an IPv6 literal (IPv4 given as IPv4-mapped), or null when {@code s} is no IP literal. */
    public static byte[] parse(String s) {
        if (s == null || s.isEmpty()) return null;
        String t = strip(s);
        if (t.indexOf(':') < 0) {
            byte[] v4 = v4(t);
            if (v4 == null) return null;
            byte[] out = new byte[16];
            out[10] = (byte) 0xff;
            out[11] = (byte) 0xff;
            System.arraycopy(v4, 0, out, 12, 4);
            return out;
        }
        return v6(t);
    }

    /**
     * An address as people write it: IPv4 dotted, IPv6 in RFC 5952's short form (lower case, the
     * longest run of two or more zero groups as {@code ::}), never Java's {@code 0:0:0:0:0:0:0:1}.
     */
    public static String text(java.net.InetAddress a) {
        if (!(a instanceof java.net.Inet6Address)) return a.getHostAddress();
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        return dev.moat.Ipv6Text.of(g);
    }

    public static boolean isIp(String s) {
        return parse(s) != null;
    }

    /** Whether {@code s} is an IPv6 literal (brackets allowed). */
    public static boolean isV6(String s) {
        return s != null && strip(s).indexOf(':') >= 0 && parse(s) != null;
    }

    /** 127.0.0.0/8, ::1, and IPv4-mapped 127.0.0.0/8. */
    public static boolean isLoopback(String s) {
        byte[] b = parse(s);
        if (b == null) return false;
        if (mapped(b)) return (b[12] & 0xff) == 127;
        for (int i = 0; i < 15; i++) if (b[i] != 0) return false;
        return b[15] == 1;
    }

    /**
     * Whether a host a service is told to listen on ({@code OLLAMA_HOST=localhost:11434},
     * {@code --host 127.0.0.1}) keeps it on the host: a loopback literal or the name
     * {@code localhost}. Any other name or address is reachable from other hosts.
     */
    public static boolean isLoopbackHost(String host) {
        if (host == null) return false;
        String h = host.trim();
        return h.equalsIgnoreCase("localhost") || isLoopback(h);
    }

    /** 0.0.0.0 or :: (all interfaces). */
    public static boolean isUnspecified(String s) {
        byte[] b = parse(s);
        if (b == null) return false;
        if (mapped(b) && strip(s).indexOf(':') < 0) return b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] == 0;
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    /** Whether two literals name the same address ("::1" and "0:0::1" do). */
    public static boolean same(String a, String b) {
        byte[] x = parse(a);
        byte[] y = parse(b);
        return x != null && y != null && java.util.Arrays.equals(x, y);
    }

    /** The address as written in a short port entry: IPv6 in brackets, IPv4 as is. */
    public static String forShortSyntax(String ip) {
        String t = strip(ip);
        return t.indexOf(':') >= 0 ? "[" + t + "]" : t;
    }

    /** Removes one pair of surrounding brackets. */
    public static String strip(String s) {
        if (s.length() >= 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') return s.substring(1, s.length() - 1);
        return s;
    }

    private static boolean mapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static byte[] v4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!p[i].matches("[0-9]{1,3}")) return null;
            int v = Integer.parseInt(p[i]);
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] v6(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        int zone = t.indexOf('%');
        if (zone >= 0) t = t.substring(0, zone);
        byte[] tail4 = null;
        int lastColon = t.lastIndexOf(':');
        if (t.indexOf('.', lastColon) > 0) {
            tail4 = v4(t.substring(lastColon + 1));
            if (tail4 == null) return null;
            t = t.substring(0, lastColon + 1) + "0:0";
        }
        int dbl = t.indexOf("::");
        if (dbl >= 0 && t.indexOf("::", dbl + 1) >= 0) return null;
        String[] head;
        String[] tail;
        if (dbl >= 0) {
            head = groups(t.substring(0, dbl));
            tail = groups(t.substring(dbl + 2));
            if (head == null || tail == null || head.length + tail.length > 7) return null;
        } else {
            head = groups(t);
            tail = new String[0];
            if (head == null || head.length != 8) return null;
        }
        byte[] out = new byte[16];
        int i = 0;
        for (String g : head) i = put(out, i, g);
        i = 16 - 2 * tail.length;
        for (String g : tail) i = put(out, i, g);
        if (tail4 != null) System.arraycopy(tail4, 0, out, 12, 4);
        return out;
    }

    private static String[] groups(String s) {
        if (s.isEmpty()) return new String[0];
        String[] g = s.split(":", -1);
        for (String x : g) if (!x.matches("[0-9a-f]{1,4}")) return null;
        return g;
    }

    private static int put(byte[] out, int i, String g) {
        int v = Integer.parseInt(g, 16);
        out[i] = (byte) (v >> 8);
        out[i + 1] = (byte) v;
        return i + 2;
    }
}
