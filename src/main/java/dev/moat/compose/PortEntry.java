package dev.moat.compose;

import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One item of a {@code ports:} list as it stands in the file: the YAML node (a scalar for the short
 * syntax, a mapping for the long one) and the services it publishes for. A list written once under
 * an anchor and reused by alias, merge key or {@code extends} is one entry per item, listing every
 * service that gets it, so it is edited once, at the anchor.
 */
public record PortEntry(Node node, List<String> services) {
    public PortEntry {
        services = List.copyOf(services);
    }

    /** 1-based line of the entry. */
    public int line() {
        return node.getStartMark().getLine() + 1;
    }
}
