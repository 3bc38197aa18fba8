package dev.moat.transport.ssh;

import dev.moat.transport.Endpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Endpoint} with ssh_config applied, as OpenSSH would: the config is looked up by the
 * address ssh is given (the inventory's {@code ansible_host}, else its name); HostName replaces
 * that address; Port, User and IdentityFile apply where the inventory says nothing (port 22 counts
 * as nothing, since {@link Endpoint} cannot tell it from a default); ProxyJump applies when the
 * inventory names no bastion. Each bastion is resolved the same way, without its own ProxyJump.
 */
public record Target(String name, String address, int port, String user, List<Path> keyFiles,
                     boolean inventoryKey, List<Target> jump) {
    public Target {
        keyFiles = List.copyOf(keyFiles);
        jump = List.copyOf(jump);
    }

    static Target resolve(Endpoint e, SshConfig cfg, boolean withJump) {
        String alias = e.address() != null ? e.address() : e.name();
        SshConfig.Resolved r = cfg.resolve(alias);
        String address = r.hostName() != null ? r.hostName() : alias;
        int port = e.port() != 22 ? e.port() : r.port() > 0 ? r.port() : 22;
        String user = e.user() != null ? e.user() : r.user() != null ? r.user() : System.getProperty("user.name");
        List<Path> keys = new ArrayList<>();
        if (e.keyFile() != null) keys.add(Path.of(SshConfig.expandPath(e.keyFile(), address, user)));
        for (String id : r.identityFiles()) keys.add(Path.of(SshConfig.expandPath(id, address, user)));
        List<Target> jump = new ArrayList<>();
        if (withJump) {
            List<Endpoint> hops = !e.jump().isEmpty() ? e.jump() : ProxyJumps.parse(r.proxyJump());
            for (Endpoint hop : hops) jump.add(resolve(hop, cfg, false));
        }
        return new Target(e.name(), address, port, user, keys, e.keyFile() != null, jump);
    }

    /** {@code address:port} as messages show it. */
    public String where() {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** {@code name (address:port)} for messages. */
    String describe() {
        return name + " (" + where() + ")";
    }
}
