package dev.moat.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ports:} argument: which published ports compose_ports touches. An entry is in scope
 * when its container port(s) or its host port(s) overlap one of the listed ports or ranges; an
 * empty filter takes every entry.
 */
public record PortFilter(List<PortRange> ranges) {
    public PortFilter {
        ranges = List.copyOf(ranges);
    }

    public static final PortFilter ALL = new PortFilter(List.of());

    public static PortFilter parse(List<?> items) throws PortSyntaxException {
        List<PortRange> out = new ArrayList<>();
        for (Object o : items) out.add(PortRange.parse(String.valueOf(o)));
        return new PortFilter(out);
    }

    public boolean all() {
        return ranges.isEmpty();
    }

    public boolean matches(PortSpec p) {
        return matches(p.container()) || (p.host() != null && matches(p.host()));
    }

    public boolean matches(PortRange r) {
        if (ranges.isEmpty()) return true;
        for (PortRange x : ranges) if (x.overlaps(r)) return true;
        return false;
    }

    /** Whether a single port number is in scope. */
    public boolean matches(int port) {
        return matches(new PortRange(port, port));
    }
}
