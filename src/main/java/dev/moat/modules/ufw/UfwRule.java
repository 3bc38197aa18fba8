package dev.moat.modules.ufw;

import dev.moat.transport.Sh;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One UFW rule, as a playbook declares it or as ufw stores it in a {@code ### tuple ###} line of
 * {@code /etc/ufw/user.rules} / {@code user6.rules}. A rule on {@code any} address that ufw keeps
 * once per family is one rule here ({@code v4} and {@code v6} both set).
 *
 * <p>Identity ({@link #key()}) is what ufw itself compares: action, direction, interface, protocol,
 * ports and addresses, in a normalized spelling ({@code 0.0.0.0/0} = {@code ::/0} = {@code any},
 * {@code 80,443} = {@code 443,80}). The comment and the log level are not part of it: ufw updates a
 * rule's comment in place when the same rule is added again.
 *
 * @param action    allow, deny, limit or reject
 * @param log       "", "log" or "log-all"
 * @param direction in or out; for a routed rule ufw's raw interface text ({@code in_eth0!out_eth1})
 * @param iface     the interface of an in/out rule, "" for all
 * @param dport     a port, a range {@code 8000:8010}, a list {@code 80,443}, or {@code any}
 * @param dapp      an application profile's name (a rule made with {@code app}), "" if none
 * @param comment   null when the rule has none
 * @param route     a routed (FORWARD) rule: moat reads and shows those but never declares or prunes them
 */
public record UfwRule(String action, String log, String direction, String iface, String proto,
                      String dport, String dst, String sport, String src, String dapp, String sapp,
                      String comment, boolean route, boolean v4, boolean v6) {
    public UfwRule {
        if (action == null || direction == null || proto == null) throw new IllegalArgumentException("action, direction and proto are required");
        log = log == null ? "" : log;
        iface = iface == null ? "" : iface;
        dport = dport == null ? "any" : dport;
        sport = sport == null ? "any" : sport;
        dst = Addresses.isAny(dst) ? Addresses.ANY : dst;
        src = Addresses.isAny(src) ? Addresses.ANY : src;
        dapp = dapp == null ? "" : dapp;
        sapp = sapp == null ? "" : sapp;
        if (comment != null && comment.isEmpty()) comment = null;
    }

    /** A declared in/out rule; the families follow its addresses (both for any/any). */
    public static UfwRule declared(String action, String direction, String iface, String proto, String dport,
                                   String dst, String sport, String src, String comment) {
        int f = Math.max(Addresses.family(dst), Addresses.family(src));
        return new UfwRule(action, "", direction, iface, proto, dport, dst, sport, src, "", "", comment, false,
                f != 6, f != 4);
    }

    /** What makes two rules the same rule for ufw. */
    public String key() {
        return String.join("|", route ? "route" : "", action, direction, iface, proto, ports(dport),
                Addresses.normalize(dst), ports(sport), Addresses.normalize(src), dapp, sapp);
    }

    /** This rule merged with the same rule of the other family. */
    UfwRule withFamilies(boolean v4, boolean v6) {
        return new UfwRule(action, log, direction, iface, proto, dport, dst, sport, src, dapp, sapp, comment, route, v4, v6);
    }

    public UfwRule withComment(String c) {
        return new UfwRule(action, log, direction, iface, proto, dport, dst, sport, src, dapp, sapp, c, route, v4, v6);
    }

    /** The rule in ufw's full syntax, without {@code ufw}, {@code delete} or the comment. */
    public String text() {
        StringBuilder s = new StringBuilder();
        if (route) {
            s.append("route ").append(action);
            for (String part : direction.split("!")) {
                int u = part.indexOf('_');
                if (u > 0) s.append(' ').append(part, 0, u).append(" on ").append(part.substring(u + 1));
            }
        } else {
            s.append(action).append(' ').append(direction);
            if (!iface.isEmpty()) s.append(" on ").append(iface);
        }
        if (!log.isEmpty()) s.append(' ').append(log);
        if (!proto.equals("any")) s.append(" proto ").append(proto);
        s.append(" from ").append(src);
        if (!sapp.isEmpty()) s.append(" app ").append(Sh.q(sapp));
        else if (!sport.equals("any")) s.append(" port ").append(sport);
        s.append(" to ").append(dst);
        if (!dapp.isEmpty()) s.append(" app ").append(Sh.q(dapp));
        else if (!dport.equals("any")) s.append(" port ").append(dport);
        return s.toString();
    }

    /** The command that adds this rule, or updates its comment when ufw has it already. */
    public String addCommand() {
        return "ufw " + text() + (comment == null ? "" : " comment " + Sh.q(comment));
    }

    public String deleteCommand() {
        return "ufw --force delete " + text();
    }

    /** One line of a rule listing: its text, comment and, when it exists for one family only, which. */
    public String display() {
        String fam = v4 && v6 ? "" : v4 ? " (v4)" : " (v6)";
        return text() + fam + (comment == null ? "" : "  # " + comment);
    }

    /** Whether the rule's destination ports include {@code port} ({@code any} does). */
    public boolean coversPort(int port) {
        if (dport.equals("any")) return true;
        for (String p : dport.split(",")) {
            int c = p.indexOf(':');
            try {
                if (c > 0) {
                    if (Integer.parseInt(p.substring(0, c)) <= port && port <= Integer.parseInt(p.substring(c + 1))) return true;
                } else if (Integer.parseInt(p) == port) {
                    return true;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    private static String ports(String spec) {
        return Arrays.stream(spec.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(","));
    }
}
