package dev.moat.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The controller itself, for a task a playbook delegates to it ({@code delegate_to: localhost},
 * {@code local_action}, a play with {@code connection: local}): runs each script with the local
 * {@code sh -c}, as the user running moat. It is the one place moat starts a program on the
 * controller, and only where the playbook asks for it; it never uses sudo (a {@code become}
 * command is refused). {@code host} is the name results are reported under: the inventory host
 * the task was delegated from.
 */
public record ControllerShell(String host) implements Transport {
    @Override
    public ExecResult exec(Command c) throws IOException {
        if (c.become()) {
            throw new BecomeException(host + ": a task delegated to the controller (localhost) runs as you; moat does not"
                    + " use sudo there: add become: false to the task");
        }
        return run(c.script(), c.stdin(), c.timeout());
    }

    /** Runs {@code script} with the local {@code sh -c}, feeding it {@code stdin}, for at most {@code timeout}. */
    public static ExecResult run(String script, byte[] stdin, java.time.Duration timeout) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", script).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException ignored) {
            // the script did not read its stdin
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("localhost: the command timed out after " + timeout.toSeconds() + "s");
            }
            return new ExecResult(p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("localhost: interrupted");
        } catch (ExecutionException e) {
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
