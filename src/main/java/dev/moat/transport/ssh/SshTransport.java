package dev.moat.transport.ssh;

import dev.moat.transport.BecomeException;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;

/**
 * One authenticated SSH connection to a host (through its bastions, if any), running each command
 * in its own session channel: a fixed {@code sh -c} runner, or one through sudo for {@code become},
 * that reads the script from stdin. stdout and
 * stderr are drained on their own threads while stdin is written, so no stream can stall the
 * channel; at most 10 sessions are open at once (sshd's default MaxSessions).
 */
final class SshTransport implements Transport {
    static final int MAX_SESSIONS = 10;
    private static final Map<Signal, Integer> SIGNALS = Map.ofEntries(
            Map.entry(Signal.HUP, 1), Map.entry(Signal.INT, 2), Map.entry(Signal.QUIT, 3), Map.entry(Signal.ILL, 4),
            Map.entry(Signal.ABRT, 6), Map.entry(Signal.FPE, 8), Map.entry(Signal.KILL, 9), Map.entry(Signal.USR1, 10),
            Map.entry(Signal.SEGV, 11), Map.entry(Signal.USR2, 12), Map.entry(Signal.PIPE, 13),
            Map.entry(Signal.ALRM, 14), Map.entry(Signal.TERM, 15));

    private final String host;
    private final String where;
    private final SSHClient client;
    private final List<SSHClient> hops;
    private final String loginUser;
    private final String becomeUser;
    private final SshSettings settings;
    private final ExecutorService pumps;
    private final Semaphore sessions = new Semaphore(MAX_SESSIONS, true);
    private final Sudo sudo = new Sudo();
    private static final ScriptDump DUMP = ScriptDump.fromEnvironment();

    SshTransport(String host, String where, SSHClient client, List<SSHClient> hops, String loginUser,
                 String becomeUser, SshSettings settings, ExecutorService pumps) {
        this.host = host;
        this.where = where;
        this.client = client;
        this.hops = List.copyOf(hops);
        this.loginUser = loginUser;
        this.becomeUser = becomeUser == null ? "root" : becomeUser;
        this.settings = settings;
        this.pumps = pumps;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String user() {
        return loginUser;
    }

    @Override
    public ExecResult exec(Command command) throws IOException {
        long t0 = System.nanoTime();
        int rc = -1;
        try {
            ExecResult r = run(command);
            rc = r.rc();
            return r;
        } finally {
            settings.listener().executed(host, command.sensitive() ? "(sensitive)" : command.script(),
                    Duration.ofNanos(System.nanoTime() - t0), rc);
        }
    }

    private Duration timeout(Command c) {
        if (c.timeout().equals(Command.DEFAULT_TIMEOUT) && settings.commandTimeout() != null) return settings.commandTimeout();
        return c.timeout();
    }

    private ExecResult run(Command c) throws IOException {
        // The command's own become user (a task's become_user) wins over the inventory's.
        String target = c.becomeUser() != null ? c.becomeUser() : becomeUser;
        boolean viaSudo = c.become() && !target.equals(loginUser);
        char[] pw = settings.becomePassword();
        Duration timeout = timeout(c);
        long secs = Math.max(1, timeout.toSeconds());
        String line = viaSudo ? sudo.line(target, pw != null, secs) : Sudo.plain(secs);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!sessions.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) throw timedOut(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to run a command on " + host, e);
        }
        Session session = null;
        boolean abandoned = false;
        try {
            session = startSession(deadline, timeout);
            byte[] payload = Sudo.payload(c.script(), c.stdin());
            DUMP.record(host, line, payload, c.sensitive() || c.stdin().length > 0);
            Session.Command cmd = session.exec(line);
            Object monitor = new Object();
            Watch out = new Watch(monitor, viaSudo ? sudo.marker + "\n" : null);
            Watch err = new Watch(monitor, viaSudo && pw != null ? sudo.prompt : null);
            InputStream so = cmd.getInputStream(), se = cmd.getErrorStream();
            Future<byte[]> fo = pumps.submit(() -> out.drain(so));
            Future<byte[]> fe = pumps.submit(() -> err.drain(se));
            try {
                feed(cmd, payload, viaSudo, pw, out, err, monitor, deadline);
                byte[] stdout = await(fo, deadline), stderr = await(fe, deadline);
                cmd.join(Math.max(1, remainingMs(deadline)), TimeUnit.MILLISECONDS);
                tooMuch("stdout", out);
                tooMuch("stderr", err);
                return result(cmd, viaSudo, stdout, stderr);
            } catch (TimeoutException e) {
                abandoned = true;
                abandon(cmd);
                throw timedOut(timeout);
            } finally {
                fo.cancel(true);
                fe.cancel(true);
            }
        } catch (BecomeException | UnreachableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (!isAlive() || brokenTransport(e)) throw lost(e);
            if (e.getMessage() != null && e.getMessage().startsWith("command on ")) throw (IOException) e;
            throw new IOException("running a command on " + host + " (" + where + ") failed: " + e.getMessage(), e);
        } finally {
            if (!abandoned) {
                if (session != null) closeQuietly(session);
                sessions.release();
            }
        }
    }

    /**
     * Opens a session channel. sshd frees a closed session's slot a moment after the close, so a
     * refusal ("no more sessions") while this transport holds fewer than ten is retried briefly.
     */
    private Session startSession(long deadline, Duration timeout) throws IOException {
        if (!isAlive()) throw lost(null);
        long pause = 10;
        while (true) {
            try {
                return client.startSession();
            } catch (ConnectionException e) {
                if (!isAlive() || remainingMs(deadline) < pause) throw e;
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while opening a session on " + host, ie);
                }
                pause = Math.min(pause * 2, 200);
            }
        }
    }

    /**
     * Gives up on a command that timed out: asks sshd to kill it, and closes the channel in the
     * background (sshd keeps it until the remote process is gone; the remote {@code timeout} wrapper
     * ends it a moment later), releasing the session slot only then.
     */
    private void abandon(Session.Command cmd) {
        try {
            pumps.submit(() -> {
                try {
                    kill(cmd);
                } finally {
                    sessions.release();
                }
            });
        } catch (RuntimeException rejected) {
            sessions.release();
        }
    }

    private static void closeQuietly(Session s) {
        try {
            s.close();
        } catch (IOException | RuntimeException ignored) {
            // the channel is gone already
        }
    }

    /** Writes the become password when sudo asks for it, then the command's stdin, then EOF. */
    private void feed(Session.Command cmd, byte[] stdin, boolean viaSudo, char[] pw, Watch out, Watch err,
                      Object monitor, long deadline) throws IOException, TimeoutException {
        OutputStream in = cmd.getOutputStream();
        try {
            if (viaSudo) {
                synchronized (monitor) {
                    if (pw != null) {
                        waitFor(monitor, deadline, () -> out.count() > 0 || err.count() > 0 || out.ended());
                        if (out.count() == 0 && err.count() == 1) {
                            writePassword(in, pw);
                            waitFor(monitor, deadline, () -> out.count() > 0 || err.count() > 1 || out.ended());
                        }
                        if (err.count() > 1) {
                            kill(cmd);
                            throw new BecomeException("sudo on " + host + " refused the become password: check --ask-become-pass or ansible_become_password");
                        }
                    } else {
                        waitFor(monitor, deadline, () -> out.count() > 0 || out.ended());
                    }
                    if (out.count() == 0) return;
                }
            }
            if (stdin.length > 0) {
                in.write(stdin);
                in.flush();
            }
        } catch (BecomeException | TimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (!isAlive()) throw lost(e);
            // the command ended without reading all of its stdin: its exit status tells
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // the channel is closed already
            }
        }
    }

    private static void writePassword(OutputStream in, char[] pw) throws IOException {
        CharBuffer chars = CharBuffer.allocate(pw.length + 1);
        chars.put(pw).put('\n').flip();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        try {
            in.write(b);
            in.flush();
        } finally {
            Arrays.fill(b, (byte) 0);
            Arrays.fill(chars.array(), '\0');
            if (bytes.hasArray()) Arrays.fill(bytes.array(), (byte) 0);
        }
    }

    private interface Condition {
        boolean met();
    }

    private static void waitFor(Object monitor, long deadline, Condition c) throws TimeoutException, IOException {
        try {
            while (!c.met()) {
                long ms = remainingMs(deadline);
                if (ms <= 0) throw new TimeoutException();
                monitor.wait(ms);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private ExecResult result(Session.Command cmd, boolean viaSudo, byte[] stdout, byte[] stderr) throws IOException {
        Integer status = cmd.getExitStatus();
        int rc;
        if (status != null) rc = status;
        else if (cmd.getExitSignal() != null) rc = 128 + SIGNALS.getOrDefault(cmd.getExitSignal(), 127);
        else if (!isAlive()) throw lost(null);
        else throw new IOException("command on " + host + " (" + where + ") ended without an exit status");
        if (!viaSudo) return new ExecResult(rc, stdout, stderr);
        String marker = sudo.marker + "\n";
        String out = new String(stdout, StandardCharsets.UTF_8);
        String err = new String(stderr, StandardCharsets.UTF_8).replace(sudo.prompt, "");
        if (!out.startsWith(marker)) {
            String first = err.strip().lines().findFirst().orElse("no message");
            if (err.contains("password is required") || err.contains("a terminal is required") || err.contains("no password was provided"))
                throw new BecomeException("sudo on " + host + " wants a password: use --ask-become-pass or set ansible_become_password");
            throw new BecomeException("sudo on " + host + " failed (exit " + rc + "): " + first);
        }
        return new ExecResult(rc, Arrays.copyOfRange(stdout, marker.length(), stdout.length),
                err.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] await(Future<byte[]> f, long deadline) throws IOException, TimeoutException {
        try {
            return f.get(Math.max(1, remainingMs(deadline)), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof IOException) throw (IOException) t;
            throw new IOException(String.valueOf(t.getMessage()), t);
        }
    }

    private static long remainingMs(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    private static void kill(Session.Command cmd) {
        try {
            cmd.signal(Signal.KILL);
        } catch (IOException | RuntimeException ignored) {
            // best effort: closing the channel follows
        }
        try {
            cmd.close();
        } catch (IOException | RuntimeException ignored) {
            // already closed
        }
    }

    private void tooMuch(String stream, Watch w) throws IOException {
        if (w.dropped() == 0) return;
        throw new IOException("command on " + host + " (" + where + ") wrote " + (Watch.KEEP_LIMIT / (1024 * 1024) + w.dropped() / (1024 * 1024))
                + " MiB or more to " + stream + "; moat keeps at most " + Watch.KEEP_LIMIT / (1024 * 1024)
                + " MiB of a command's output: write large output to a file on the host instead");
    }

    private IOException timedOut(Duration timeout) {
        return new IOException("command on " + host + " (" + where + ") timed out after " + timeout.toSeconds() + " s");
    }

    private static boolean brokenTransport(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause())
            if (t instanceof TransportException) return true;
        return false;
    }

    private boolean isAlive() {
        return client.isConnected() && client.getTransport().isRunning();
    }

    private UnreachableException lost(Throwable cause) {
        String why = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return new UnreachableException("the SSH connection to " + host + " (" + where + ") was lost" + why, cause);
    }

    @Override
    public void close() {
        quietly(client);
        for (int i = hops.size() - 1; i >= 0; i--) quietly(hops.get(i));
    }

    static void quietly(SSHClient c) {
        try {
            c.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
    }
}
