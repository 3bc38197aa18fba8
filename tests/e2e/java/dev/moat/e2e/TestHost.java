package dev.moat.e2e;

import java.util.Objects;

/**
 * One testbed host as the testbed wrote it to {@code hosts.tsv}: its inventory name (h1, h2, ...),
 * its address on the testbed bridge, its sshd port there, and where SSH reaches it: the same
 * address and port, or with {@code up --latency} the delaying proxy on {@code 127.0.0.1}.
 */
public record TestHost(String name, String address, int port, String sshAddress, int sshPort) {
    public TestHost {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(sshAddress, "sshAddress");
        if (name.isBlank() || address.isBlank() || sshAddress.isBlank()) {
            throw new IllegalArgumentException("host name and addresses must not be blank");
        }
        checkPort(port);
        checkPort(sshPort);
    }

    /** A host SSH reaches directly at its bridge address. */
    public TestHost(String name, String address, int port) {
        this(name, address, port, address, port);
    }

    /** Whether SSH goes through the testbed's delaying proxy rather than straight to the host. */
    public boolean proxied() {
        return !(sshAddress.equals(address) && sshPort == port);
    }

    /**
     * Parses one {@code hosts.tsv} line: name, address and port separated by tabs, and with
     * {@code --latency} a fourth field, the proxy's {@code ADDRESS:PORT} SSH goes through.
     */
    public static TestHost parse(String line) {
        String[] f = line.trim().split("\t");
        if (f.length != 3 && f.length != 4) {
            throw new IllegalArgumentException("not a hosts.tsv line (name TAB address TAB port [TAB ssh-address:port]): " + line);
        }
        int port = Integer.parseInt(f[2]);
        if (f.length == 3) {
            return new TestHost(f[0], f[1], port);
        }
        int colon = f[3].lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("not an ADDRESS:PORT SSH endpoint in hosts.tsv: " + line);
        }
        return new TestHost(f[0], f[1], port, f[3].substring(0, colon), Integer.parseInt(f[3].substring(colon + 1)));
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
