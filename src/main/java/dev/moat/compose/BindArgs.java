package dev.moat.compose;

import dev.moat.module.ArgException;
import dev.moat.module.Args;

/**
 * The {@code bind} and {@code ports} arguments {@code compose_ports} and {@code container_ports}
 * share, checked the same way: one specific address (never every interface), a port filter.
 */
public final class BindArgs {
    private BindArgs() {}

    /** {@code bind} (default 127.0.0.1) without brackets; an error for a name or an unspecified address. */
    public static String bind(Args a) throws ArgException {
        String bind = a.str("bind", "127.0.0.1").trim();
        if (!Ip.isIp(bind)) throw new ArgException("bind", "bind '" + bind + "' is not an IP address");
        if (Ip.isUnspecified(bind)) throw new ArgException("bind", "bind '" + bind + "' means every interface; give a specific address such as 127.0.0.1");
        return Ip.strip(bind);
    }

    /** {@code ports}: the ports and ranges in scope; empty for every port. */
    public static PortFilter ports(Args a) throws ArgException {
        try {
            return PortFilter.parse(a.list("ports"));
        } catch (PortSyntaxException e) {
            throw new ArgException("ports", "ports: " + e.getMessage());
        }
    }
}
