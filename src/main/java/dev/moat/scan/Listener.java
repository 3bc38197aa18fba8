package dev.moat.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A TCP listening socket on a host: its bind address, port and (when ss could tell) the process. */
public record Listener(String address, int port, String process) {
    private static final Pattern USERS = Pattern.compile("users:\\(\\(\"([^\"]*)\",pid=(\\d+)");

    /**
     * Parses {@code ss -Htlnp} lines: {@code LISTEN 0 4096 0.0.0.0:8000 0.0.0.0:* users:(("docker-proxy",pid=9,fd=4))}.
     * Lines that do not parse are skipped.
     */
    public static List<Listener> parseSs(List<String> lines) {
        List<Listener> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.trim().split("\\s+");
            if (f.length < 5 || !f[0].equals("LISTEN")) continue;
            String local = f[3];
            int c = local.lastIndexOf(':');
            if (c <= 0) continue;
            int port;
            try {
                port = Integer.parseInt(local.substring(c + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            String addr = local.substring(0, c);
            if (addr.startsWith("[") && addr.endsWith("]")) addr = addr.substring(1, addr.length() - 1);
            int pct = addr.indexOf('%');
            if (pct >= 0) addr = addr.substring(0, pct);
            if (addr.equals("*")) addr = "0.0.0.0";
            Matcher m = USERS.matcher(l);
            out.add(new Listener(addr, port, m.find() ? m.group(1) + " (pid " + m.group(2) + ")" : null));
        }
        return out;
    }

    /** Parses /proc/net/tcp{,6} LISTEN lines (the fallback without ss), prefixed {@code proc }. */
    public static List<Listener> parseProc(List<String> lines) {
        List<Listener> out = new ArrayList<>();
        for (String l : lines) {
            if (!l.startsWith("proc ")) continue;
            String[] f = l.substring(5).trim().split("\\s+");
            if (f.length < 4 || !f[3].equals("0A")) continue;
            String[] local = f[1].split(":");
            if (local.length != 2) continue;
            try {
                out.add(new Listener(hexAddress(local[0]), Integer.parseInt(local[1], 16), null));
            } catch (IllegalArgumentException e) {
                // skip what does not parse
            }
        }
        return out;
    }

    /** The kernel's hex notation: IPv4 as one little-endian word, IPv6 as four. */
    static String hexAddress(String hex) {
        if (hex.length() == 8) {
            long v = Long.parseLong(hex, 16);
            return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
        }
        if (hex.length() != 32) throw new IllegalArgumentException("not an address: " + hex);
        byte[] b = new byte[16];
        for (int w = 0; w < 4; w++) {
            for (int i = 0; i < 4; i++) {
                b[w * 4 + i] = (byte) Integer.parseInt(hex.substring(w * 8 + (3 - i) * 2, w * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        try {
            String s = java.net.InetAddress.getByAddress(b).getHostAddress();
            if (s.equals("0:0:0:0:0:0:0:0")) return "::";
            if (s.equals("0:0:0:0:0:0:0:1")) return "::1";
            return s;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
