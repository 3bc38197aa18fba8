package dev.moat.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running testbed ({@code tests/testbed/testbed up N}) as end-to-end tests see it: its state
 * directory, the Ansible inventory, known_hosts and client key it wrote, and its hosts. Commands run
 * on hosts through the system {@code ssh} client with strict host key checking against the
 * testbed's known_hosts, so a test that reaches a host also proves the host's identity.
 *
 * <p>The state directory comes from the system property {@code moat.testbed.dir}, else the
 * environment variable {@code MOAT_TESTBED_DIR} ({@code eval "$(tests/testbed/testbed env)"}),
 * else {@code /tmp/moat-testbed}.
 */
public final class Testbed {
    private static final Duration EXEC_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_][A-Z0-9_]*)=('[^']*'|\"[^\"]*\"|[^\\s'\"]*)");

    private final Path dir;
    private final List<TestHost> hosts;
    private final Map<String, String> config;
    private final Map<String, String> env;

    private Testbed(Path dir, List<TestHost> hosts, Map<String, String> config, Map<String, String> env) {
        this.dir = dir;
        this.hosts = List.copyOf(hosts);
        this.config = Map.copyOf(config);
        this.env = Map.copyOf(env);
    }

    /** The testbed that is up now; fails with a message saying how to start one if there is none. */
    public static Testbed fromEnv() {
        String d = System.getProperty("moat.testbed.dir");
        if (d == null || d.isBlank()) {
            d = System.getenv("MOAT_TESTBED_DIR");
        }
        if (d == null || d.isBlank()) {
            d = "/tmp/moat-testbed";
        }
        return load(Path.of(d));
    }

    /** Reads a testbed's state directory. */
    public static Testbed load(Path dir) {
        Path tsv = dir.resolve("hosts.tsv");
        if (!Files.isRegularFile(tsv)) {
            throw new IllegalStateException("no testbed is up in " + dir
                    + " (start one: sudo tests/testbed/testbed up 3 --docker)");
        }
        try {
            List<TestHost> hosts = new ArrayList<>();
            for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    hosts.add(TestHost.parse(line));
                }
            }
            Map<String, String> config = assignments(Files.readString(dir.resolve("config"), StandardCharsets.UTF_8));
            Path env = dir.resolve("env");
            String exports = Files.isRegularFile(env) ? Files.readString(env, StandardCharsets.UTF_8) : "";
            return new Testbed(dir, hosts, config, assignments(exports));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the testbed state in " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path inventory() {
        return dir.resolve("inventory.yml");
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    public Path key() {
        return dir.resolve("id_ed25519");
    }

    /** Pebble's listener certificate: trust it to talk to the ACME directory. */
    public Path pebbleListenerCert() {
        return dir.resolve("pebble/listener.pem");
    }

    /** Pebble's issuing root as exported at {@code up}; Pebble makes a new one each time it starts. */
    public Path pebbleRoot() {
        return dir.resolve("pebble/root.pem");
    }

    public String pebbleDirectoryUrl() {
        return env.getOrDefault("MOAT_TESTBED_PEBBLE_URL", "https://10.77.0.1:14000/dir");
    }

    public String aptUrl() {
        return env.getOrDefault("MOAT_TESTBED_APT_URL", "http://10.77.0.1:3142");
    }

    /** The testbed's signed repository (one package, moat-signed-probe; its key at /key.asc and /key.gpg). */
    public String signedAptUrl() {
        return env.getOrDefault("MOAT_TESTBED_SIGNED_APT_URL", aptUrl().replaceFirst(":3142$", ":3143"));
    }

    /** The password user {@code ops} must give to sudo (test-only secret kept in the state dir). */
    public String opsPassword() {
        try {
            return Files.readString(dir.resolve("ops.password"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the hosts run dockerd and the fake AI services ({@code up --docker}). */
    public boolean docker() {
        return "1".equals(config.get("DOCKER"));
    }

    /** Whether the hosts boot systemd as PID 1 and can reboot ({@code up --systemd}). */
    public boolean systemd() {
        return "1".equals(config.get("SYSTEMD"));
    }

    /** The delay the testbed's proxy adds in each direction ({@code up --latency MS}), 0 without one. */
    public int latencyMs() {
        return Integer.parseInt(config.getOrDefault("LATENCY", "0"));
    }

    /**
     * The {@code KEY=VALUE} assignments of a testbed's config line or its {@code env} file
     * ({@code export KEY='VALUE'} lines); values in single or double quotes hold no quotes.
     */
    static Map<String, String> assignments(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher a = ASSIGNMENT.matcher(text);
        while (a.find()) {
            String v = a.group(2);
            m.put(a.group(1), v.length() >= 2 && (v.startsWith("'") || v.startsWith("\"")) ? v.substring(1, v.length() - 1) : v);
        }
        return m;
    }

    public List<TestHost> hosts() {
        return hosts;
    }

    public TestHost host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no testbed host " + name + " in " + hosts));
    }

    /** The ssh command line (without the remote command) that logs in to {@code host} as {@code user}. */
    public List<String> sshCommand(String host, String user) {
        TestHost h = host(host);
        return sshCommand(h.sshAddress(), h.sshPort(), user);
    }

    /** The ssh command line to {@code host} at its own address, past the delaying proxy if there is one. */
    public List<String> directSshCommand(String host, String user) {
        TestHost h = host(host);
        return sshCommand(h.address(), h.port(), user);
    }

    private List<String> sshCommand(String address, int port, String user) {
        return List.of("ssh", "-F", "/dev/null", "-n",
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts(),
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes",
                "-o", "IdentityFile=" + key(),
                "-o", "ConnectTimeout=10",
                "-o", "LogLevel=ERROR",
                "-p", Integer.toString(port),
                user + "@" + address);
    }

    /** Runs {@code cmd} (a shell command line) as root on {@code host}. */
    public ProcResult exec(String host, String cmd) {
        return exec(host, "root", cmd, null);
    }

    /** Runs {@code cmd} as {@code user} on {@code host}, feeding it {@code stdin} (may be null). */
    public ProcResult exec(String host, String user, String cmd, String stdin) {
        List<String> c = new ArrayList<>(sshCommand(host, user));
        if (stdin != null) {
            c.remove("-n");
        }
        c.add("--");
        c.add(cmd);
        return Procs.run(c, null, Map.of(), stdin, EXEC_TIMEOUT);
    }

    /** Runs {@code cmd} as root on {@code host} and returns its stdout; throws if it fails. */
    public String execOk(String host, String cmd) {
        ProcResult r = exec(host, cmd);
        if (!r.ok()) {
            throw new AssertionError(host + ": `" + cmd + "` failed: " + r.describe());
        }
        return r.stdout();
    }

    /** Writes {@code content} to {@code remotePath} on {@code host} as root (mode 0600), through ssh's stdin. */
    public void put(String host, String content, String remotePath) {
        ProcResult r = exec(host, "root", "umask 077 && cat > " + Sh.quote(remotePath), content);
        if (!r.ok()) {
            throw new AssertionError(host + ": cannot write " + remotePath + ": " + r.describe());
        }
    }

    /**
     * A checksummed listing of everything under {@code paths} on {@code host} (default: /etc, /opt
     * and /root): type, mode, owner, symlink target and the SHA-256 of every regular file.
     */
    public Listing checksumListing(String host, String... paths) {
        String[] p = paths.length == 0 ? new String[] {"/etc", "/opt", "/root"} : paths;
        return Listing.parse(execOk(host, Listing.script(p)));
    }

    @Override
    public String toString() {
        return "Testbed" + Objects.toString(hosts) + " in " + dir;
    }
}
