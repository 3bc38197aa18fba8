package dev.moat.cli;

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
 * A real OpenSSH server on 127.0.0.1 in the root namespace for the shell's tests: a high port, its
 * own host key, root login with a key made for it, and an inventory and known_hosts file that
 * reach it. Started by PID and stopped by that PID.
 */
final class LoopbackSshd implements AutoCloseable {
    final Path dir;
    final int port;
    final Path inventory;
    final Path knownHosts;
    private final Process process;

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/sshd")) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))
                && "root".equals(System.getProperty("user.name"));
    }

    /**
     * A temporary directory for a test's files with the server in {@code sshd/} under it: open to
     * others ({@code rwxr-xr-x}) like the server's own directory, so sshd reaches its files through it.
     */
    static Path scratch(String prefix) throws IOException {
        Path tmp = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tmp;
    }

    LoopbackSshd(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        Path hostKey = keygen("host_ed25519");
        Path clientKey = keygen("id_ed25519");
        Files.writeString(dir.resolve("authorized_keys"), pub(clientKey), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = dir.resolve("sshd_config");
        port = freePort();
        Files.writeString(config, String.join("\n",
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "ListenAddress 127.0.0.1",
                "Port " + port,
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "StrictModes no",
                "MaxStartups 50",
                "PidFile none", ""));
        Files.createDirectories(Path.of("/run/sshd"));
        process = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        waitListening();
        String[] hk = pub(hostKey).trim().split("\\s+");
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + hk[0] + " " + hk[1] + "\n");
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, String.join("\n",
                "all:",
                "  hosts:",
                "    h1:",
                "      ansible_host: 127.0.0.1",
                "      ansible_port: " + port,
                "      ansible_user: root",
                "      ansible_ssh_private_key_file: " + clientKey,
                ""));
    }

    long pid() {
        return process.pid();
    }

    /** Drops every SSH connection open now by killing sshd's per-connection processes (the server stays up). */
    int dropConnections() {
        List<ProcessHandle> kids = process.toHandle().children().toList();
        for (ProcessHandle k : kids) k.destroyForcibly();
        return kids.size();
    }

    private Path keygen(String name) throws IOException, InterruptedException {
        Path k = dir.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", k.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("ssh-keygen failed: " + out);
        return k;
    }

    private static String pub(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub"), StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
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

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
