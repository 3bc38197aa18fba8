package dev.moat.scan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.compose.Interpolation;
import dev.moat.compose.PortSyntaxException;
import dev.moat.yaml.ListNode;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;
import dev.moat.yaml.YamlLoader;

/**
 * One published port of a compose file's service, read without Compose itself: the short syntax
 * ({@code "8000:8000"}, {@code "127.0.0.1:8000:8000"}, {@code "[::1]:8000:8000"}, {@code "8000"},
 * ranges, {@code /udp}, {@code ${VAR:-default}}) and the long one ({@code target}, {@code published},
 * {@code host_ip}). {@code hostIp} is null when the port is published on every address;
 * {@code hostPortLo..Hi} is {@code -1..-1} when Docker picks the host port.
 */
public record ComposePublish(String file, String service, String spec, String hostIp, int hostPortLo, int hostPortHi, int line) {
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\\}");

    /** Whether the port is reachable from other hosts (not bound to loopback); an address set by a variable counts as reachable. */
    public boolean publik() {
        return hostIp == null || !Loopback.is(hostIp);
    }

    public boolean covers(int port) {
        return hostPortLo <= port && port <= hostPortHi;
    }

    /** The published ports of every service in {@code text}, with no {@code .env}; see {@link #parse(String, String, Map)}. */
    public static List<ComposePublish> parse(String file, String text) {
        return parse(file, text, Map.of());
    }

    /**
     * The published ports of every service in {@code text}, variables filled in from {@code env} (the
     * {@code .env} beside the file) as Compose does: {@code "${HOST_IP:-127.0.0.1}:8000:8000"} with
     * {@code HOST_IP=0.0.0.0} there publishes on every address. IllegalArgumentException naming
     * file:line:column when it is not YAML.
     */
    public static List<ComposePublish> parse(String file, String text, Map<String, String> env) {
        Interpolation vars = new Interpolation(env);
        Node root;
        try {
            root = YamlLoader.parse(text, Path.of(file));
        } catch (YamlException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<ComposePublish> out = new ArrayList<>();
        if (!(root instanceof MapNode m) || !(m.get("services") instanceof MapNode services)) return out;
        String[] lines = text.split("\n", -1);
        for (Map.Entry<String, Node> s : services.entries().entrySet()) {
            if (!(s.getValue() instanceof MapNode svc) || !(svc.get("ports") instanceof ListNode ports)) continue;
            for (Node item : ports.items()) {
                if (item instanceof ScalarNode sc) {
                    String spec = sc.quoted() || sc.value() instanceof String ? sc.text() : raw(lines, sc);
                    out.add(shortSyntax(file, s.getKey(), spec, sc.mark().line(), vars));
                } else if (item instanceof MapNode lm) {
                    out.add(longSyntax(file, s.getKey(), lm, vars));
                }
            }
        }
        return out;
    }

    /** An unquoted scalar as written (YAML 1.1 reads {@code 22:22} as a base-60 number). */
    private static String raw(String[] lines, ScalarNode sc) {
        int l = sc.mark().line() - 1;
        if (l < 0 || l >= lines.length) return sc.text();
        String s = lines[l].substring(Math.min(lines[l].length(), Math.max(0, sc.mark().column() - 1)));
        int cut = s.length();
        for (String stop : new String[] {" #", ",", "]"}) {
            int i = s.indexOf(stop);
            if (i >= 0) cut = Math.min(cut, i);
        }
        return s.substring(0, cut).trim();
    }

    static ComposePublish shortSyntax(String file, String service, String spec, int line) {
        return shortSyntax(file, service, spec, line, new Interpolation(Map.of()));
    }

    static ComposePublish shortSyntax(String file, String service, String spec, int line, Interpolation vars) {
        String s = interpolate(spec.trim(), vars);
        boolean variableIp = false;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) s = s.substring(0, slash);
        String ip = null;
        String rest = s;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            ip = s.substring(1, Math.max(1, close));
            rest = close + 2 <= s.length() ? s.substring(close + 2) : "";
        } else {
            String[] p = s.split(":", -1);
            if (p.length >= 3) {
                int hostStart = s.lastIndexOf(':', s.lastIndexOf(':') - 1);
                ip = s.substring(0, hostStart);
                rest = s.substring(hostStart + 1);
            }
        }
        if (ip != null && (ip.isEmpty() || ip.contains("?"))) {
            variableIp = ip.contains("?");
            ip = variableIp ? "?" : null;
        }
        String[] hc = rest.split(":", -1);
        String host = hc.length >= 2 ? hc[0] : "";
        int[] range = range(host);
        return new ComposePublish(file, service, spec, "?".equals(ip) ? null : ip, range[0], range[1], line);
    }

    private static ComposePublish longSyntax(String file, String service, MapNode m, Interpolation vars) {
        String ip = m.get("host_ip") instanceof ScalarNode s && s.value() != null ? interpolate(s.text(), vars) : null;
        String published = m.get("published") instanceof ScalarNode s && s.value() != null ? interpolate(s.text(), vars) : "";
        String target = m.get("target") instanceof ScalarNode s ? s.text() : "?";
        int[] range = range(published);
        String spec = "{target: " + target + (published.isEmpty() ? "" : ", published: " + published) + (ip == null ? "" : ", host_ip: " + ip) + "}";
        return new ComposePublish(file, service, spec, ip == null || ip.isEmpty() ? null : ip, range[0], range[1], m.mark().line());
    }

    /**
     * Fills in variables as Compose would (unset ones are empty: an empty address is every address,
     * an empty port one Docker picks). Syntax Compose would refuse falls back to each default, or
     * {@code ?} where there is none.
     */
    private static String interpolate(String s, Interpolation vars) {
        try {
            return vars.apply(s);
        } catch (PortSyntaxException e) {
            Matcher v = VAR.matcher(s);
            StringBuilder b = new StringBuilder();
            while (v.find()) v.appendReplacement(b, Matcher.quoteReplacement(v.group(2) == null ? "?" : v.group(2)));
            v.appendTail(b);
            return b.toString();
        }
    }

    private static int[] range(String host) {
        try {
            if (host.isEmpty()) return new int[] {-1, -1};
            int dash = host.indexOf('-');
            if (dash > 0) return new int[] {Integer.parseInt(host.substring(0, dash).trim()), Integer.parseInt(host.substring(dash + 1).trim())};
            int p = Integer.parseInt(host.trim());
            return new int[] {p, p};
        } catch (NumberFormatException e) {
            return new int[] {-1, -1};
        }
    }
}
