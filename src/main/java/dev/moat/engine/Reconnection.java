package dev.moat.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.moat.module.Reconnect;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

/**
 * Waits out a designed disconnect ({@link Reconnect}): closes the host's connection, waits, tries
 * fresh ones until the host booted again (its boot id changed) and its test command succeeds, as
 * Ansible's {@code reboot} and {@code wait_for_connection} do, then hands the fresh connection to
 * the {@link HostSession} (which forgets every fact read before) and takes the run's lock again
 * (its holder ended with the old session, or with the boot).
 */
final class Reconnection {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final double MAX_BACKOFF = 12;

    private final String host;
    private final RunContext run;

    /**
     * How the wait ended: {@code failure} null when the play goes on over a fresh connection;
     * {@code lost} when no fresh connection was made at all (the host is unreachable, not failed).
     */
    record Outcome(long elapsed, String failure, boolean lost) {}

    Reconnection(String host, RunContext run) {
        this.host = host;
        this.run = run;
    }

    Outcome await(Reconnect r, HostSession session, RunAs as) {
        long t0 = System.nanoTime();
        // A reboot ends the old session (and the lock's holder) by itself; a wait for the connection lets go of the lock first.
        if (!r.reboots()) run.reconnector().release(session);
        try {
            session.transport().close();
        } catch (RuntimeException e) {
            // Already gone: the host went down under it.
        }
        run.listener().detail(host, r.reboots() ? "waiting up to " + (long) r.timeout() + " s for the host to boot again and answer"
                : "waiting up to " + (long) r.timeout() + " s for the host to answer");
        if (!Pauses.sleep(run, r.delay())) return new Outcome(elapsed(t0), "interrupted while waiting", true);
        Transport fresh = null;
        String last = null;
        int fails = 0;
        if (r.reboots()) {
            long deadline = System.nanoTime() + (long) (r.timeout() * 1e9);
            // The last connection that answered without a new boot: the task fails over it (the host never went down).
            Transport answered = null;
            while (true) {
                try {
                    fresh = connect(r.connectTimeout());
                    ExecResult e = fresh.exec(new Command(r.bootCommand(), null, as.become(), as.user(), COMMAND_TIMEOUT, false));
                    String now = e.out().strip();
                    if (e.ok() && !now.isEmpty() && !now.equals(r.previousBoot())) break;
                    last = e.ok() ? "boot time has not changed" : "failed to get host boot time info, rc: " + e.rc() + ", stderr: " + e.err().strip();
                    close(answered);
                    answered = fresh;
                } catch (IOException | RuntimeException ex) {
                    last = message(ex);
                    close(fresh);
                    close(answered);
                    answered = null;
                }
                fresh = null;
                if (System.nanoTime() > deadline) {
                    String why = "Timed out waiting for last boot time check (timeout=" + (long) r.timeout() + "); last error: " + last;
                    if (answered == null) return new Outcome(elapsed(t0), why, true);
                    String refused = adopt(session, answered);
                    return new Outcome(elapsed(t0), refused == null ? why : why + "; " + refused, false);
                }
                if (!Pauses.sleep(run, pause(r, fails++))) {
                    close(answered);
                    return new Outcome(elapsed(t0), "interrupted while waiting", true);
                }
            }
            close(answered);
        }
        long deadline = System.nanoTime() + (long) (r.timeout() * 1e9);
        fails = 0;
        while (true) {
            try {
                if (fresh == null) fresh = connect(r.connectTimeout());
                ExecResult e = fresh.exec(new Command(r.testCommand(), null, as.become(), as.user(), COMMAND_TIMEOUT, false));
                if (e.ok()) break;
                last = "Test command failed: " + e.err().strip() + " " + e.out().strip();
            } catch (IOException | RuntimeException ex) {
                last = message(ex);
                close(fresh);
                fresh = null;
            }
            if (System.nanoTime() > deadline) {
                String why = r.reboots() ? "Timed out waiting for post-reboot test command (timeout=" + (long) r.timeout() + "); last error: " + last
                        : "timed out waiting for ping module test: " + last;
                if (fresh == null) return new Outcome(elapsed(t0), why, true);
                // The host answers but fails the test: the play fails over the fresh connection (a rollback can use it).
                String refused = adopt(session, fresh);
                return new Outcome(elapsed(t0), refused == null ? why : why + "; " + refused, false);
            }
            if (!Pauses.sleep(run, pause(r, fails++))) {
                close(fresh);
                return new Outcome(elapsed(t0), "interrupted while waiting", true);
            }
        }
        String refused = adopt(session, fresh);
        return new Outcome(elapsed(t0), refused, false);
    }

    private String adopt(HostSession session, Transport fresh) {
        session.reconnected(fresh);
        return run.reconnector().relock(session);
    }

    /** Ansible's reboot back-off (2^n seconds plus up to one, at most about 12), or {@code sleep}. */
    static double pause(Reconnect r, int fails) {
        if (!r.backoff()) return r.sleep();
        double jitter = java.util.concurrent.ThreadLocalRandom.current().nextDouble();
        return Math.min(Math.pow(2, fails), MAX_BACKOFF) + jitter;
    }

    /** A fresh connection, given at most {@code seconds} (null: the run's connect timeout). */
    private Transport connect(Integer seconds) throws IOException {
        if (seconds == null) return run.reconnector().connect(host);
        CompletableFuture<Transport> f = CompletableFuture.supplyAsync(() -> {
            try {
                return run.reconnector().connect(host);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, job -> {
            Thread t = new Thread(job, "moat-reconnect");
            t.setDaemon(true);
            t.start();
        });
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.thenAccept(Transport::close); // one that connects late is closed, never used
            throw new IOException("connecting timed out after " + seconds + " s (connect_timeout)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException re) throw re;
            throw new IOException(String.valueOf(c));
        }
    }

    private static void close(Transport t) {
        if (t == null) return;
        try {
            t.close();
        } catch (RuntimeException e) {
            // Closing a half-open connection is only tidying.
        }
    }

    private static String message(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        String[] lines = m.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static long elapsed(long t0) {
        return (System.nanoTime() - t0) / 1_000_000_000L;
    }
}
