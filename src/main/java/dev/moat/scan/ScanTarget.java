package dev.moat.scan;

import java.util.List;
import java.util.Objects;

/**
 * A host to scan: its inventory name, the address to reach (ansible_host or the name), its vault
 * services, and whether its vault serves TLS ({@code tls}, the playbook variable; with
 * {@code tls: false} the vault listens on loopback only by design, so 443 and the redirect are not
 * expected from outside).
 */
public record ScanTarget(String host, String address, List<VaultService> vault, boolean tls) {
    public ScanTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        vault = List.copyOf(vault);
    }

    /** A target whose vault serves TLS, the playbook's default. */
    public ScanTarget(String host, String address, List<VaultService> vault) {
        this(host, address, vault, true);
    }
}
