package dev.moat.scan;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ufw status} as the audit read it: whether UFW is active, its ALLOW rules (enough to say
 * whether it lets a TCP port in) and its routed ALLOW rules ({@code ALLOW FWD}: whether it forwards
 * a port, which is what the {@code ufw_docker} guard asks for a container's port). An ALLOW with
 * "Anywhere" as the destination (a whole source allowed) counts as allowing every port;
 * application profiles ("Nginx Full") are not resolved.
 */
public record UfwStatus(boolean installed, boolean active, List<String> allowRules, List<String> routeRules) {
    private static final Pattern PORT = Pattern.compile("^(\\d+)(?::(\\d+))?(?:/(tcp|udp))?$");

    public UfwStatus {
        allowRules = List.copyOf(allowRules);
        routeRules = List.copyOf(routeRules);
    }

    public static UfwStatus parse(AuditOutput.Section s) {
        if (!s.ran()) return new UfwStatus(s.missing() == null, false, List.of(), List.of());
        boolean active = false;
        List<String> allow = new java.util.ArrayList<>();
        List<String> route = new java.util.ArrayList<>();
        for (String raw : s.lines()) {
            String l = raw.startsWith(TUPLE + " ") ? statusLine(raw.substring(TUPLE.length() + 1)) : raw;
            if (l.startsWith("Status:")) active = l.contains("active") && !l.contains("inactive");
            else if (l.matches(".*\\sALLOW\\s+FWD(\\s.*)?")) route.add(l.trim());
            else if (l.matches(".*\\sALLOW(\\s+IN)?\\s.*")) allow.add(l.trim());
        }
        return new UfwStatus(true, active, allow, route);
    }

    /** How ufw records a rule in user.rules and user6.rules. */
    public static final String TUPLE = "### tuple ###";

    /**
     * A rule of ufw's record ({@code ACTION PROTO DPORT DST SPORT SRC [DAPP SAPP] DIRECTION [comment=HEX]},
     * ACTION {@code route:ACTION} when routed, {@code _log}/{@code _log-all} appended when logged) as
     * {@code ufw status} shows it: "To", the action with IN, OUT or FWD, "From" (ufw's
     * backend_iptables get_status; an application shows its name, spaces for {@code %20}).
     */
    static String statusLine(String tuple) {
        String[] f = tuple.trim().split("\\s+");
        int n = f.length;
        if (n > 0 && f[n - 1].startsWith("comment=")) n--;
        if (n < 7) return "";
        boolean route = f[0].startsWith("route:");
        String action = (route ? f[0].substring(6) : f[0]).replaceFirst("_log(-all)?$", "").toUpperCase(java.util.Locale.ROOT);
        boolean apps = n >= 9;
        String dir = f[n - 1];
        String attrib = route ? "FWD" : dir.startsWith("out") ? "OUT" : "IN";
        String to = where(f[3], apps && !f[6].equals("-") ? f[6].replace("%20", " ") : f[2], f[1], apps && !f[6].equals("-"));
        String from = where(f[5], apps && !f[7].equals("-") ? f[7].replace("%20", " ") : f[4], f[1], apps && !f[7].equals("-"));
        return to + " " + action + " " + attrib + " " + from;
    }

    private static String where(String addr, String port, String proto, boolean app) {
        String s = addr.equals("0.0.0.0/0") || addr.equals("::/0") ? "" : addr;
        if (!port.equals("any")) {
            s = s.isEmpty() ? port : s + " " + port;
            if (!app && !proto.equals("any")) s += "/" + proto;
        }
        return s.isEmpty() ? "Anywhere" : s;
    }

    /** Whether UFW lets TCP {@code port} in from somewhere: inactive, or an ALLOW rule covers it. */
    public boolean lets(int port) {
        return !active || covers(allowRules, port);
    }

    /** Whether an active UFW forwards TCP {@code port} from somewhere: a routed ALLOW rule covers it. */
    public boolean routes(int port) {
        return active && covers(routeRules, port);
    }

    private static boolean covers(List<String> rules, int port) {
        for (String r : rules) {
            String to = r.split("\\s+ALLOW")[0].replace(" (v6)", "").trim();
            if (to.equals("Anywhere")) return true;
            String first = to.split("\\s+")[0];
            for (String part : first.split(",")) {
                Matcher m = PORT.matcher(part);
                if (!m.matches() || "udp".equals(m.group(3))) continue;
                int lo = Integer.parseInt(m.group(1));
                int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
                if (port >= lo && port <= hi) return true;
            }
        }
        return false;
    }

    /** In words, for findings: "UFW active, no ALLOW for 8000" etc. */
    public String words(int port) {
        if (!installed) return "UFW not installed";
        if (!active) return "UFW inactive";
        return lets(port) ? "UFW active and allows " + port : "UFW active with no ALLOW for " + port;
    }
}
