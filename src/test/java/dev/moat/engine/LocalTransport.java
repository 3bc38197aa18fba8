package dev.moat.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

/**
 * For engine unit tests: runs scripts with the local {@code sh}, ignoring become; records what it
 * ran, and each command as sent (tests check who it was to run as: become, become user). Hosts share this machine's filesystem, so {@value #HOST} in a script becomes the host's name
 * (tests put it in journal paths so each simulated host has its own).
 */
public final class LocalTransport implements Transport {
    private final String host;
    static final String HOST = "@HOST@";
    final List<String> scripts = new ArrayList<>();
    public final List<Command> commands = new ArrayList<>();

    LocalTransport(String host) {
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public synchronized ExecResult exec(Command c) throws IOException {
        String script = c.script().replace(HOST, host);
        scripts.add(script);
        commands.add(c);
        Process p = new ProcessBuilder("sh", "-c", script).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(c.stdin());
        } catch (IOException ignored) {
            // the script did not read its stdin
        }
        try {
            if (!p.waitFor(c.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out");
            }
            return new ExecResult(p.exitValue(), out.get(), err.get());
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() {}
}
