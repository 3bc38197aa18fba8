package dev.moat.e2e;

import java.util.Objects;

/**
 * One testbed host as the testbed wrote it to {@code hosts.tsv}: its inventory name (h1, h2, ...),
 * its address on the testbed bridge and its SSH port.
 */
public record TestHost(String name, String address, int port) {
    public TestHost {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (name.isBlank() || address.isBlank()) {
            throw new IllegalArgumentException("host name and address must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses one {@code hosts.tsv} line: name, address and port separated by tabs. */
    public static TestHost parse(String line) {
        String[] f = line.trim().split("\t");
        if (f.length != 3) {
            throw new IllegalArgumentException("not a hosts.tsv line (name TAB address TAB port): " + line);
        }
        return new TestHost(f[0], f[1], Integer.parseInt(f[2]));
    }
}
