package dev.moat.modules.ufw;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sshd processes and their listening TCP sockets as {@link SshPorts#FACT} reads them from
 * {@code /proc}: {@code pid PID COMM} lines, {@code session PID} and {@code session-env SSH_CONNECTION=...}
 * (the script's sshd ancestor and the environment it gave the session: grep -z's match, ended by a NUL,
 * or by a newline as the read printed it before), {@code listen-sock FILE LOCAL INODE}
 * lines (LOCAL is the kernel's hex {@code ADDR:PORT} of {@code /proc/net/tcp}: IPv4 as one
 * little-endian word, or {@code tcp6}: four), and between {@code @@fds} and {@code @@end} the
 * {@code ls -l} of those processes' {@code fd} directories ({@code 3 -> socket:[INODE]}). Addresses are
 * written as {@code ss} writes them (glibc's {@code inet_ntop}: {@code ::ffff:10.0.0.1}, {@code ::1}).
 */
record ProcSockets(Map<Integer, String> comms, List<Listener> listeners, Map<String, List<Integer>> owners, String sessionEnv) {
    /** A listening socket: its address and port, and the inode that ties it to a process. */
    record Listener(String address, int port, String inode) {}

    static ProcSockets parse(String out) {
        Map<Integer, String> comms = new HashMap<>();
        List<Listener> listeners = new ArrayList<>();
        Map<String, List<Integer>> owners = new HashMap<>();
        String env = null;
        boolean inFds = false;
        Integer pid = null;
        for (String line : out.split("\n")) {
            String l = line.strip();
            if (l.equals("@@fds")) {
                inFds = true;
                continue;
            }
            if (l.equals("@@end")) {
                inFds = false;
                continue;
            }
            try {
                if (inFds) {
                    if (l.startsWith("/proc/") && l.endsWith("/fd:")) {
                        pid = Integer.parseInt(l.substring(6, l.length() - 4));
                    } else if (pid != null && l.endsWith("]") && l.contains("-> socket:[")) {
                        String inode = l.substring(l.lastIndexOf('[') + 1, l.length() - 1);
                        owners.computeIfAbsent(inode, k -> new ArrayList<>()).add(pid);
                    }
                    continue;
                }
                String[] f = l.split("\\s+");
                if (f[0].equals("pid") && f.length >= 3) {
                    comms.put(Integer.parseInt(f[1]), l.split(" ", 3)[2]);
                } else if (f[0].equals("session-env") && l.contains("SSH_CONNECTION=") && env == null) {
                    // grep -z ends each match with a NUL: the value is what comes before it.
                    String v = l.substring(l.indexOf("SSH_CONNECTION=") + 15);
                    env = (v.indexOf('\0') >= 0 ? v.substring(0, v.indexOf('\0')) : v).strip();
                } else if (f[0].equals("listen-sock") && f.length == 4) {
                    String[] a = f[2].split(":");
                    listeners.add(new Listener(address(a[0], f[1].endsWith("6")), Integer.parseInt(a[1], 16), f[3]));
                }
            } catch (RuntimeException e) {
                // A line cut short or not of this read: skipped, as ss's unparsable lines were.
            }
        }
        return new ProcSockets(comms, listeners, owners, env);
    }

    /** Listening sockets held by a process named exactly {@code sshd} (not sshd-session, not systemd). */
    List<Listener> sshdListening() {
        List<Listener> out = new ArrayList<>();
        for (Listener s : listeners) {
            for (int pid : owners.getOrDefault(s.inode(), List.of())) {
                if ("sshd".equals(comms.get(pid))) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    /** The session's {@code SSH_CONNECTION} as its four words (peer, peer port, local, local port), or null. */
    String[] sessionConnection() {
        if (sessionEnv == null) return null;
        String[] w = sessionEnv.split("\\s+");
        return w.length == 4 && w[3].matches("\\d{1,5}") ? w : null;
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
