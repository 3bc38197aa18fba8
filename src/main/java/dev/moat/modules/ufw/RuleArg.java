package dev.moat.modules.ufw;

import java.util.List;

import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.TaskException;

/**
 * One rule as a task declares it, validated; ports may still be service names, resolved against
 * the host's {@code /etc/services} when planning. The same keys serve a task's single rule and each
 * item of its {@code rules:} list.
 */
public record RuleArg(String action, String direction, String iface, String proto, String port, String toIp,
                      String fromPort, String fromIp, String comment, boolean delete) {

    /** The keys of one rule; {@code direction} also takes incoming/outgoing. */
    public static List<ArgSpec> specs() {
        return List.of(
                ArgSpec.choice("rule", null, "allow", "deny", "limit", "reject"),
                ArgSpec.optional("port", ArgType.STRING).withAliases("to_port"),
                ArgSpec.optional("from_port", ArgType.STRING),
                ArgSpec.choice("proto", "any", "any", "tcp", "udp").withAliases("protocol"),
                ArgSpec.optional("from_ip", ArgType.STRING, "any").withAliases("from", "src"),
                ArgSpec.optional("to_ip", ArgType.STRING, "any").withAliases("to", "dest"),
                ArgSpec.optional("interface", ArgType.STRING).withAliases("if"),
                ArgSpec.optional("comment", ArgType.STRING),
                ArgSpec.optional("delete", ArgType.BOOL, false));
    }

    static final dev.moat.module.Spec ITEM = new dev.moat.module.Spec(
            concat(specs(), ArgSpec.choice("direction", "in", "in", "out", "incoming", "outgoing")), null, List.of(), List.of());

    private static List<ArgSpec> concat(List<ArgSpec> a, ArgSpec b) {
        var l = new java.util.ArrayList<>(a);
        l.add(b);
        return l;
    }

    /** One item of {@code rules:}; errors name the argument as {@code rules[I].KEY}. */
    public static RuleArg item(Object raw, int i) throws ArgException {
        String where = "rules[" + i + "]";
        if (!(raw instanceof java.util.Map<?, ?> m)) throw new ArgException("rules", where + " must be a mapping such as {rule: allow, port: 22, proto: tcp}");
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (var e : m.entrySet()) map.put(String.valueOf(e.getKey()), e.getValue());
        try {
            Args a = Args.check(ITEM, map);
            if (a.str("rule") == null) throw new ArgException("rule", "'rule' is required (allow, deny, limit or reject)");
            return of(a);
        } catch (ArgException e) {
            throw new ArgException("rules", where + ": " + e.getMessage());
        }
    }

    /** The rule given by {@code a}'s keys ({@code rule} set). */
    public static RuleArg of(Args a) throws ArgException {
        String dir = a.str("direction", "in");
        if (dir.equals("incoming")) dir = "in";
        if (dir.equals("outgoing")) dir = "out";
        if (!dir.equals("in") && !dir.equals("out")) {
            throw new ArgException("direction", "a rule's direction is in or out (routed rules are not supported), got '" + dir + "'");
        }
        String proto = a.str("proto");
        String port = ports("port", a.str("port"), proto);
        String fromPort = ports("from_port", a.str("from_port"), proto);
        String from = address("from_ip", a.str("from_ip"));
        String to = address("to_ip", a.str("to_ip"));
        int ff = Addresses.family(from);
        int tf = Addresses.family(to);
        if (ff != 0 && tf != 0 && ff != tf) throw new ArgException("to_ip", "from_ip " + from + " and to_ip " + to + " are not the same IP version");
        String iface = a.str("interface");
        if (iface != null && !iface.matches("[A-Za-z0-9_.+-]{1,15}")) throw new ArgException("interface", "'" + iface + "' is not an interface name");
        String comment = a.str("comment");
        if (comment != null && (comment.contains("'") || comment.contains("\n"))) {
            throw new ArgException("comment", "a ufw comment may not contain a single quote or a newline");
        }
        return new RuleArg(a.str("rule"), dir, iface, proto, port, to, fromPort, from, comment, a.bool("delete"));
    }

    private static String address(String arg, String v) throws ArgException {
        String s = v == null ? "any" : v.strip();
        if (!Addresses.valid(s)) throw new ArgException(arg, arg + " '" + v + "' is not an IP address, a network (CIDR) or 'any'");
        return s;
    }

    /** Validates a port spec: numbers, ranges (8000:8010, or 8000-8010) and service names, comma-separated. */
    static String ports(String arg, String v, String proto) throws ArgException {
        if (v == null || v.strip().equals("any")) return null;
        String s = v.strip().replace(" ", "");
        StringBuilder out = new StringBuilder();
        boolean multi = s.contains(",");
        for (String p : s.split(",", -1)) {
            String q = p.replace('-', ':');
            if (q.matches("\\d+:\\d+")) {
                String[] r = q.split(":");
                int lo = Integer.parseInt(r[0]);
                int hi = Integer.parseInt(r[1]);
                if (lo < 1 || hi > 65535 || lo >= hi) throw new ArgException(arg, arg + " range '" + p + "' is not low:high within 1-65535");
                multi = true;
            } else if (q.matches("\\d+")) {
                int n = Integer.parseInt(q);
                if (n < 1 || n > 65535) throw new ArgException(arg, arg + " " + p + " is not within 1-65535");
                q = String.valueOf(n);
            } else if (p.matches("[A-Za-z][\\w-]*")) {
                q = p;
            } else {
                throw new ArgException(arg, arg + " '" + v + "' is not a port, a range such as 8000:8010, or a service name");
            }
            if (out.length() > 0) out.append(',');
            out.append(q);
        }
        if (multi && proto.equals("any")) throw new ArgException("proto", "port ranges and lists need proto: tcp or udp (ufw requires it)");
        return out.toString();
    }

    /** Whether a port is a service name to look up on the host. */
    public boolean named() {
        return (port != null && port.matches(".*[A-Za-z].*")) || (fromPort != null && fromPort.matches(".*[A-Za-z].*"));
    }

    /** The rule with service names resolved ({@code services} may be null when none are named). */
    public UfwRule resolve(Services services) throws TaskException {
        String dp = port == null ? "any" : port.matches(".*[A-Za-z].*") ? services.resolve(port, proto) : port;
        String sp = fromPort == null ? "any" : fromPort.matches(".*[A-Za-z].*") ? services.resolve(fromPort, proto) : fromPort;
        return UfwRule.declared(action, direction, iface, proto, dp, toIp, sp, fromIp, comment);
    }
}
