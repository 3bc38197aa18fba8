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
 * A ProxyCommand (the inventory's, else ssh_config's when the inventory names no bastion) that is
 * {@code ssh -W %h:%p bastion} becomes that bastion, connected in-process; any other is
 * {@code proxyCommand}, the local command moat runs to carry the connection (null: none).
 */
public record Target(String name, String address, int port, String user, List<Path> keyFiles,
                     boolean inventoryKey, List<Target> jump, String proxyCommand) {
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
        String command = null;
        if (withJump) {
            List<Endpoint> hops = e.jump();
            command = e.proxyCommand();
            if (hops.isEmpty() && command == null) {
                hops = r.proxyCommand() != null ? ProxyJumps.fromProxyCommand(r.proxyCommand()) : ProxyJumps.parse(r.proxyJump());
                if (r.proxyCommand() != null && hops.isEmpty()) command = r.proxyCommand();
            }
            for (Endpoint hop : hops) jump.add(resolve(hop, cfg, false));
        }
        return new Target(e.name(), address, port, user, keys, e.keyFile() != null, jump, command);
    }

    /** {@code address:port} as messages show it. */
    public String where() {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** {@code name (address:port)} for messages, with the ProxyCommand that carries the connection. */
    String describe() {
        return name + " (" + where() + (proxyCommand == null ? "" : " through ProxyCommand '" + proxy().command() + "'") + ")";
    }

    /** The ProxyCommand with this target's {@code %h}, {@code %p}, {@code %r} and {@code %n}; null without one. */
    ProxyCommand proxy() {
        return proxyCommand == null ? null : new ProxyCommand(proxyCommand, address, port, user, name);
    }
}
