package dev.moat.scan;

import java.util.ArrayList;
import java.util.List;

import dev.moat.compose.Ip;

/**
 * A DNAT rule of the nat table's DOCKER chain ({@code iptables -t nat -S DOCKER}): what Docker writes
 * for a published port, evaluated before UFW's filter rules ever see the packet.
 * {@code destination} is the {@code -d} match (the bind address; null for all addresses).
 */
public record DnatRule(String rule, int port, String destination, String to) {
    /** The DNAT rules with a {@code --dport} among the lines; RETURN rules and the chain's header are skipped. */
    public static List<DnatRule> parse(List<String> lines) {
        List<DnatRule> out = new ArrayList<>();
        for (String l : lines) {
            if (!l.startsWith("-A ") || !l.contains("-j DNAT")) continue;
            String[] f = l.trim().split("\\s+");
            Integer port = null;
            String dest = null, to = null;
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("--dport")) {
                    try {
                        port = Integer.parseInt(f[i + 1].split(":")[0]);
                    } catch (NumberFormatException e) {
                        port = null;
                    }
                } else if (f[i].equals("-d") && (i == 0 || !f[i - 1].equals("!"))) {
                    dest = f[i + 1].replaceAll("/(32|128)$", "");
                } else if (f[i].equals("--to-destination")) {
                    to = f[i + 1];
                }
            }
            if (port != null) out.add(new DnatRule(l.trim(), port, dest, to));
        }
        return out;
    }

    /** The container's port the rule forwards to ({@code 8000} of {@code 172.17.0.2:8000}), or -1. */
    public int containerPort() {
        if (to == null) return -1;
        try {
            return Integer.parseInt(to.substring(to.lastIndexOf(':') + 1).split("-")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether the rule forwards traffic from other hosts (its destination is not loopback). */
    public boolean publik() {
        return destination == null || !Ip.isLoopback(destination);
    }
}
