package dev.moat.compose;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * One item of a {@code ports:} list as it stands in the file: the YAML node (a scalar for the short
 * syntax, a mapping for the long one) and the services it publishes for. A list written once under
 * an anchor and reused by alias, merge key or {@code extends} is one entry per item, listing every
 * service that gets it, so it is edited once, at the anchor.
 *
 * <p>{@link #effective(Interpolation)} is the one reading of what an entry publishes, used by
 * {@code compose_ports} to decide and by {@code moat scan --inside} to report.
 */
public record PortEntry(Node node, List<String> services) {
    private static final List<String> LONG_KEYS = List.of("target", "published", "host_ip", "protocol", "mode", "name", "app_protocol");

    public PortEntry {
        services = List.copyOf(services);
    }

    /** 1-based line of the entry. */
    public int line() {
        return node.getStartMark().getLine() + 1;
    }

    /**
     * The published port the entry means after interpolation: what Docker would be asked for.
     * PortSyntaxException where Compose would refuse the entry (bad syntax, a required variable
     * unset, a {@code host_ip} that is no IP address).
     */
    public PortSpec effective(Interpolation interp) throws PortSyntaxException {
        if (node instanceof ScalarNode s) return PortSpec.parseShort(interp.apply(s.getValue().trim()));
        if (node instanceof MappingNode m) return longSpec(values(m), interp);
        throw new PortSyntaxException("a port entry must be a string, a number or a mapping");
    }

    /** The entry as written: the short syntax's text ({@code 8000:8000}), or the long syntax's keys ({@code {target: 80, published: 8080}}). */
    public String written() {
        if (node instanceof ScalarNode s) return s.getValue().trim();
        if (node instanceof MappingNode m) return summary(values(m));
        return "?";
    }

    /** The long syntax's keys that matter, looked up through merge keys. */
    static Map<String, Node> values(MappingNode m) {
        Map<String, Node> vals = new LinkedHashMap<>();
        for (String k : LONG_KEYS) {
            Node n = ComposeDocument.resolve(m, k, new IdentityHashMap<>());
            if (n != null) vals.put(k, n);
        }
        return vals;
    }

    static PortSpec longSpec(Map<String, Node> vals, Interpolation interp) throws PortSyntaxException {
        String target = text(vals.get("target"));
        if (target == null || target.isBlank()) throw new PortSyntaxException("long syntax without target");
        String published = text(vals.get("published"));
        String hostIp = text(vals.get("host_ip"));
        String proto = text(vals.get("protocol"));
        String effIp = hostIp == null ? null : interp.apply(hostIp).trim();
        if (effIp != null && !effIp.isEmpty() && !Ip.isIp(effIp)) throw new PortSyntaxException("host_ip '" + effIp + "' is not an IP address");
        String effPub = published == null ? "" : interp.apply(published).trim();
        return PortSpec.of(target, effIp == null ? null : Ip.strip(effIp),
                effPub.isEmpty() ? null : PortRange.parse(effPub), PortRange.parse(interp.apply(target)),
                proto == null || interp.apply(proto).isBlank() ? null : interp.apply(proto).trim());
    }

    static String summary(Map<String, Node> vals) {
        List<String> parts = new ArrayList<>();
        vals.forEach((k, v) -> parts.add(k + ": " + text(v)));
        return "{" + String.join(", ", parts) + "}";
    }

    static String text(Node n) {
        return n instanceof ScalarNode s && !s.getTag().getValue().endsWith(":null") ? s.getValue() : null;
    }
}
