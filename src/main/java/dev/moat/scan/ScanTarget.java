package dev.moat.scan;

import java.util.List;
import java.util.Objects;

/** A host to scan: its inventory name, the address to reach (ansible_host or the name), its vault services. */
public record ScanTarget(String host, String address, List<VaultService> vault) {
    public ScanTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        vault = List.copyOf(vault);
    }
}
