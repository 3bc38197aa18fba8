package dev.moat.scan;

import java.util.List;
import java.util.Objects;

/**
 * A host to scan: its inventory name, the address to reach (ansible_host or the name), its vault
 * services, whether its vault serves TLS ({@code tls}, the playbook variable; with
 * {@code tls: false} the vault listens on loopback only by design, so 443 and the redirect are not
 * expected from outside), and other addresses of the host whose AI ports are probed too (its
 * global IPv6 addresses, as the inside audit read them).
 */
public record ScanTarget(String host, String address, List<VaultService> vault, boolean tls, List<String> alsoAt) {
    public ScanTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        vault = List.copyOf(vault);
        alsoAt = List.copyOf(alsoAt);
    }

    /** A target reached at its one address. */
    public ScanTarget(String host, String address, List<VaultService> vault, boolean tls) {
        this(host, address, vault, tls, List.of());
    }

    /** The same target, also probed at {@code addresses}. */
    public ScanTarget alsoAt(List<String> addresses) {
        return new ScanTarget(host, address, vault, tls, addresses);
    }

    /** A target whose vault serves TLS, the playbook's default. */
    public ScanTarget(String host, String address, List<VaultService> vault) {
        this(host, address, vault, true);
    }
}
