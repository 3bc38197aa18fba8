package dev.moat.modules.ufw;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sshd processes and their TCP sockets as {@link SshPorts#FACT} reads them from {@code /proc}:
 * {@code pid PID COMM}, {@code session PID} and {@code sock PID STATE FILE LOCAL REMOTE} lines, where
 * LOCAL and REMOTE are the kernel's hex {@code ADDR:PORT} of {@code /proc/net/tcp} (IPv4, one
 * little-endian word) or {@code tcp6} (IPv6, four). Addresses are written as {@code ss} writes them
 * (glibc's {@code inet_ntop}: {@code ::ffff:10.0.0.1}, {@code ::1}) so decisions match the earlier read.
 */
record ProcSockets(Map<Integer, String> comms, Integer sessionPid, List<Sock> socks) {
    /** One socket of one process: {@code state} is {@code 0A} (listening) or {@code 01} (established). */
    record Sock(int pid, String state, String localAddress, int localPort, String remoteAddress) {}

    static ProcSockets parse(String out) {
        Map<Integer, String> comms = new HashMap<>();
        Integer session = null;
        List<Sock> socks = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\s+");
            try {
                if (f[0].equals("pid") && f.length >= 3) {
                    comms.put(Integer.parseInt(f[1]), line.strip().split(" ", 3)[2]);
                } else if (f[0].equals("session") && f.length == 2 && session == null) {
                    session = Integer.parseInt(f[1]);
                } else if (f[0].equals("sock") && f.length == 6) {
                    boolean v6 = f[3].endsWith("6");
                    String[] l = f[4].split(":");
                    String[] r = f[5].split(":");
                    socks.add(new Sock(Integer.parseInt(f[1]), f[2], address(l[0], v6), Integer.parseInt(l[1], 16), address(r[0], v6)));
                }
            } catch (RuntimeException e) {
                // A line cut short or not of this read: skipped, as ss's unparsable lines were.
            }
        }
        return new ProcSockets(comms, session, socks);
    }

    /** Listening sockets of processes named exactly {@code sshd} (not sshd-session, not systemd). */
    List<Sock> listening() {
        List<Sock> out = new ArrayList<>();
        for (Sock s : socks) if (s.state().equals("0A") && "sshd".equals(comms.get(s.pid()))) out.add(s);
        return out;
    }

    /** The first established socket of the script's sshd ancestor, or null. */
    Sock session() {
        if (sessionPid == null) return null;
        for (Sock s : socks) if (s.state().equals("01") && s.pid() == sessionPid) return s;
        return null;
    }

    /** {@code /proc/net/tcp[6]}'s hex address as text. */
    static String address(String hex, boolean v6) {
        byte[] b = new byte[hex.length() / 2];
        // Each 32-bit word is in host (little-endian) byte order.
        for (int w = 0; w < b.length / 4; w++) {
            for (int k = 0; k < 4; k++) {
                b[w * 4 + k] = (byte) Integer.parseInt(hex.substring(w * 8 + (3 - k) * 2, w * 8 + (3 - k) * 2 + 2), 16);
            }
        }
        if (!v6) {
            if (b.length != 4) throw new IllegalArgumentException("bad IPv4 address " + hex);
            return dotted(b, 0);
        }
        if (b.length != 16) throw new IllegalArgumentException("bad IPv6 address " + hex);
        return ntop6(b);
    }

    private static String dotted(byte[] b, int at) {
        return (b[at] & 0xff) + "." + (b[at + 1] & 0xff) + "." + (b[at + 2] & 0xff) + "." + (b[at + 3] & 0xff);
    }

    /** glibc's inet_ntop6: the longest run (2 words or more, first wins) of zero words as {@code ::}, embedded IPv4 for ::ffff:0:0/96 and ::/96. */
    static String ntop6(byte[] b) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (w[i] == 0) {
                if (curBase < 0) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase >= 0) {
                if (bestBase < 0 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase >= 0 && bestLen < 2) bestBase = -1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) sb.append(':');
                continue;
            }
            if (i != 0) sb.append(':');
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(dotted(b, 12));
                break;
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) sb.append(':');
        return sb.toString();
    }
}
