package dev.moat.modules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.Step;

/**
 * A throwaway host for firewall tests on this machine, never touching its own firewall or /etc/ufw:
 * new network, mount and pid namespaces ({@code unshare}), an overlay over {@code /etc} whose
 * writes land in a temporary directory (ufw's files start as this machine's, with pristine rules),
 * a tmpfs {@code /run}, and an sshd listening on {@value #SSH_PORT} inside. Scripts run there with
 * {@code nsenter}, each first checking a marker that exists only in the sandbox's /etc/ufw.
 * Killing the {@code unshare} process (by its PID) ends the namespaces and everything in them.
 */
final class UfwSandbox implements AutoCloseable {
    static final int SSH_PORT = 2222;
    private static final String MARKER = "/etc/ufw/.moat-sandbox";

    private final Process unshare;
    private final long nsPid;
    private final Path dir;

    private UfwSandbox(Process unshare, long nsPid, Path dir) {
        this.unshare = unshare;
        this.nsPid = nsPid;
        this.dir = dir;
    }

    /** Whether this machine can host the sandbox: root, unshare, nsenter, ufw and sshd. */
    static boolean available() {
        FactOutput id = LocalHost.sh("id -u && command -v unshare nsenter ufw ss >/dev/null && test -x /usr/sbin/sshd", null);
        return id.rc() == 0 && new String(id.stdout(), StandardCharsets.UTF_8).strip().equals("0");
    }

    static UfwSandbox start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("moat-ufw-sandbox");
        for (String f : List.of("user.rules", "user6.rules")) {
            try (InputStream in = UfwSandbox.class.getResourceAsStream("/ufw/" + f + ".pristine")) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        }
        String d = dir.toString();
        String setup = String.join("\n",
                "set -e",
                "mkdir " + d + "/upper " + d + "/work",
                "mount -t overlay moat-etc -o lowerdir=/etc,upperdir=" + d + "/upper,workdir=" + d + "/work /etc",
                "cp " + d + "/user.rules " + d + "/user6.rules /etc/ufw/",
                "sed -i 's/^ENABLED=.*/ENABLED=no/' /etc/ufw/ufw.conf",
                "touch " + MARKER,
                "mount -t tmpfs moat-run /run",
                "mkdir -p /run/sshd /run/lock",
                "ip link set lo up",
                "/usr/sbin/sshd -p " + SSH_PORT + " -o PidFile=/run/sshd.pid",
                "echo ready",
                "exec sleep 100000");
        Process p = new ProcessBuilder("unshare", "--net", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc",
                "--propagation", "private", "sh", "-c", setup).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException("ufw sandbox did not start: " + line);
        }
        long child = p.toHandle().children().findFirst().orElseThrow().pid();
        UfwSandbox s = new UfwSandbox(p, child, dir);
        // sshd daemonizes; wait until it listens
        for (int i = 0; i < 50 && s.run("ss -Htln | grep -q ':" + SSH_PORT + " '", null).rc() != 0; i++) Thread.sleep(100);
        return s;
    }

    /** Runs {@code script} inside the sandbox through {@code sh}, as the engine would on a host. */
    FactOutput run(String script, byte[] stdin) {
        String guarded = "[ -e " + MARKER + " ] || { echo 'not in the ufw sandbox' >&2; exit 99; }\n" + script;
        try {
            Process p = new ProcessBuilder("nsenter", "-t", String.valueOf(nsPid), "-n", "-m", "-p", "--", "sh", "-c", guarded).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            CompletableFuture<byte[]> o = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin == null ? new byte[0] : stdin);
            } catch (IOException ignored) {
                // the script did not read its stdin
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("sandbox script timed out: " + script);
            }
            return new FactOutput(p.exitValue(), o.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String text(String script) {
        FactOutput r = run(script, null);
        if (r.rc() != 0) throw new AssertionError("sandbox script failed rc=" + r.rc() + ": " + r.errText());
        return r.text();
    }

    <A> FakeFacts facts(Module<A> module, A args) {
        FakeFacts f = new FakeFacts();
        for (Fact<?> fact : module.reads(args)) f.put(fact.key(), run(fact.script(), null));
        return f;
    }

    /** Runs a plan's steps in order; the first failing one is returned (null when all passed). */
    FactOutput execute(Plan plan) {
        for (Step s : plan.steps()) {
            FactOutput r = run(s.script(), s.stdin());
            if (r.rc() != 0) return r;
        }
        return null;
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        unshare.destroyForcibly();
        unshare.waitFor(10, TimeUnit.SECONDS);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
