package dev.moat.transport;

import java.util.List;

/**
 * How to reach one host, resolved from the inventory (ansible_host, ansible_port, ansible_user,
 * ansible_ssh_private_key_file, ansible_become_user, ProxyJump) with ~/.ssh/config filling gaps.
 * {@code jump} is the chain of bastions, outermost first; {@code proxyCommand} (null: none) a local
 * command that carries the connection instead (OpenSSH's {@code ProxyCommand}, {@code %h}/{@code %p}
 * not yet expanded).
 */
public record Endpoint(
        String name,
        String address,
        int port,
        String user,
        String keyFile,
        String becomeUser,
        List<Endpoint> jump,
        String proxyCommand) {
    public Endpoint {
        if (port <= 0) port = 22;
        if (jump == null) jump = List.of();
    }

    /** An endpoint without a ProxyCommand. */
    public Endpoint(String name, String address, int port, String user, String keyFile, String becomeUser, List<Endpoint> jump) {
        this(name, address, port, user, keyFile, becomeUser, jump, null);
    }

    public static Endpoint of(String name, String address, int port, String user) {
        return new Endpoint(name, address, port, user, null, null, List.of());
    }
}
