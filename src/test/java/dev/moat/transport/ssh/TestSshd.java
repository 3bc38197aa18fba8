package dev.moat.transport.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on 127.0.0.1 for tests: its own host key, root login with the test's
 * keys (a plain one and one encrypted with {@link #PASSPHRASE}), TCP forwarding on for bastion
 * tests. Started by PID and stopped by that PID.
 */
final class TestSshd implements AutoCloseable {
    static final String PASSPHRASE = "correct horse";

    final Path dir;
    final int port;
    final Path hostKey;
    final Path clientKey;
    final Path encryptedKey;
    final Path strangerKey;
    private final Process process;

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/sshd")) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))
                && "root".equals(System.getProperty("user.name"));
    }

    TestSshd(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        hostKey = keygen("host_ed25519", "");
        clientKey = keygen("id_ed25519", "");
        encryptedKey = keygen("id_encrypted", PASSPHRASE);
        strangerKey = keygen("id_stranger", "");
        Files.writeString(dir.resolve("authorized_keys"),
                pub(clientKey) + pub(encryptedKey), StandardCharsets.UTF_8);
        // sshd reads authorized_keys as the logging-in user, who may not be root
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-r--r--"));
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM yes",
                "AllowTcpForwarding yes",
                "StrictModes no",
                "MaxStartups 200",
                "PidFile none", ""));
        Files.createDirectories(Path.of("/run/sshd"));
        port = freePort();
        process = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString(), "-p", String.valueOf(port),
                "-o", "ListenAddress=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        waitListening();
    }

    long pid() {
        return process.pid();
    }

    private Path keygen(String name, String passphrase) throws IOException, InterruptedException {
        Path k = dir.resolve(name);
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", k.toString());
        return k;
    }

    static String pub(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub"), StandardCharsets.UTF_8);
    }

    /** {@code [127.0.0.1]:port ssh-ed25519 AAAA...} for this server's host key. */
    String knownHostsLine() throws IOException {
        String[] p = pub(hostKey).trim().split("\\s+");
        return "[127.0.0.1]:" + port + " " + p[0] + " " + p[1] + "\n";
    }

    /** As ssh-keygen -lf prints it. */
    static String fingerprint(Path key) throws IOException, InterruptedException {
        return run("ssh-keygen", "-lf", key + ".pub").split("\\s+")[1];
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(List.of(cmd) + " failed: " + out);
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private void waitListening() throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) throw new IOException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("sshd did not listen on " + port);
    }

    /** Stops sshd (by its PID) and removes its directory. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
