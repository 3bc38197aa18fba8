package dev.moat.modules.ufw;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Addresses as UFW takes them: {@code any}, an IPv4 or IPv6 literal, or a network in CIDR form.
 * Only literals are accepted (never a name, so nothing here resolves DNS). {@link #normalize}
 * gives a form that compares equal whatever spelling ufw or the user chose: {@code 0.0.0.0/0} and
 * {@code ::/0} are {@code any}, a host's {@code /32} is dropped, host bits of a network are cleared.
 */
public final class Addresses {
    private Addresses() {}

    public static final String ANY = "any";

    /** Whether {@code s} is {@code any}, or an IPv4/IPv6 literal with an optional prefix length. */
    public static boolean valid(String s) {
        return s != null && (ANY.equals(s) || parse(s) != null);
    }

    /** 4 or 6 for a literal, 0 for {@code any}. */
    public static int family(String s) {
        if (isAny(s)) return 0;
        Net n = parse(s);
        if (n == null) throw new IllegalArgumentException("not an address: " + s);
        return n.bytes.length == 4 ? 4 : 6;
    }

    public static boolean isAny(String s) {
        return s == null || s.equals(ANY) || s.equals("0.0.0.0/0") || s.equals("::/0");
    }

    /** A canonical text for comparison (not for ufw): {@code any}, or hex bytes with the prefix length. */
    public static String normalize(String s) {
        if (isAny(s)) return ANY;
        Net n = parse(s);
        if (n == null) return s.toLowerCase(Locale.ROOT);
        return new BigInteger(1, n.bytes).toString(16) + "/" + n.bytes.length + "/" + n.prefix;
    }

    /** Whether network {@code net} (any, an address or a CIDR) contains address {@code ip}. */
    public static boolean covers(String net, String ip) {
        if (isAny(net)) return true;
        Net n = parse(net);
        Net a = ip == null ? null : parse(ip);
        if (n == null || a == null) return false;
        byte[] ab = a.bytes;
        if (ab.length != n.bytes.length) {
            // An IPv4 peer seen through a dual-stack socket as ::ffff:a.b.c.d.
            if (ab.length == 16 && n.bytes.length == 4 && isMapped(ab)) ab = java.util.Arrays.copyOfRange(ab, 12, 16);
            else return false;
        }
        return mask(ab, n.prefix).equals(new BigInteger(1, n.bytes));
    }

    /** Whether {@code ip} is a loopback address (127/8, ::1, or ::ffff:127.x). */
    public static boolean loopback(String ip) {
        Net a = parse(ip);
        if (a == null) return false;
        byte[] b = a.bytes;
        if (b.length == 16 && isMapped(b)) b = java.util.Arrays.copyOfRange(b, 12, 16);
        if (b.length == 4) return (b[0] & 0xff) == 127;
        for (int i = 0; i < 15; i++) if (b[i] != 0) return false;
        return b[15] == 1;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private record Net(byte[] bytes, int prefix) {}

    private static BigInteger mask(byte[] bytes, int prefix) {
        int bits = bytes.length * 8;
        BigInteger v = new BigInteger(1, bytes);
        BigInteger m = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        return v.and(m);
    }

    private static Net parse(String s) {
        if (s == null) return null;
        String t = s.trim();
        if (t.startsWith("[") && t.contains("]")) t = t.substring(1, t.indexOf(']')) + t.substring(t.indexOf(']') + 1);
        int pct = t.indexOf('%');
        if (pct >= 0) t = t.substring(0, pct);
        String addr = t;
        Integer prefix = null;
        int slash = t.indexOf('/');
        if (slash >= 0) {
            addr = t.substring(0, slash);
            String p = t.substring(slash + 1);
            if (!p.matches("\\d{1,3}")) return null;
            prefix = Integer.parseInt(p);
        }
        boolean v4 = addr.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = addr.contains(":") && addr.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) return null;
        if (v4) {
            for (String o : addr.split("\\.")) if (Integer.parseInt(o) > 255) return null;
        }
        byte[] bytes;
        try {
            // A literal: InetAddress parses it without any lookup.
            bytes = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
        if (v6 && bytes.length == 4) {
            // ::ffff:a.b.c.d comes back as IPv4; keep it as the IPv6 the user wrote.
            byte[] m = new byte[16];
            m[10] = (byte) 0xff;
            m[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, m, 12, 4);
            bytes = m;
        }
        int bits = bytes.length * 8;
        int pl = prefix == null ? bits : prefix;
        if (pl > bits) return null;
        byte[] masked = mask(bytes, pl).toByteArray();
        byte[] out = new byte[bytes.length];
        int n = Math.min(masked.length, out.length);
        System.arraycopy(masked, masked.length - n, out, out.length - n, n);
        return new Net(out, pl);
    }
}
