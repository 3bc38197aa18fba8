package dev.moat.transport.ssh;

import dev.moat.transport.UnreachableException;
import java.io.IOException;
import java.util.concurrent.Semaphore;

/**
 * Bounds the SSH handshakes (TCP connect, key exchange, host key check, authentication) in flight
 * at once. With {@code forks} 100 every host used to start its handshake at the same instant: on a
 * busy 2-core controller a hundred key exchanges shared the CPU, each took many seconds, and the
 * unlucky ones ran out of their timeout although no host was slow. Hosts beyond the limit wait
 * their turn first (in arrival order) and their handshake timeout starts only when they get it, so
 * the wait is never counted against the host. Once authenticated a connection leaves the gate: the
 * limit is on handshakes, not on connections.
 *
 * <pre>
 * try (HandshakeGate.Pass pass = gate.enter("gpu-01")) {
 *     // connect and authenticate; the watchdog's deadline starts here
 * }
 * </pre>
 */
final class HandshakeGate {
    /**
     * Measured on the testbed (100 hosts, 2 busy cores, README "Scale"): 4 to 16 in flight gave the
     * same wall and CPU, with 32 or no limit a host was lost in 3 runs of 7, fewer in flight hold a
     * little less memory; and at most 10 keeps below sshd's default {@code MaxStartups} (10:30:100), where a
     * bastion every host's handshake goes through would start dropping them.
     */
    static final int DEFAULT_LIMIT = 8;
    static final String ENV = "MOAT_SSH_HANDSHAKES";

    private final int limit;
    private final Semaphore permits;

    HandshakeGate(int limit) {
        if (limit < 1) throw new IllegalArgumentException("handshake limit must be at least 1, not " + limit);
        this.limit = limit;
        this.permits = new Semaphore(limit, true);
    }

    /**
     * The gate {@code MOAT_SSH_HANDSHAKES} asks for ({@code value}, null when unset), else
     * {@link #DEFAULT_LIMIT}.
     *
     * @throws IOException naming the variable when its value is not a whole number of at least 1
     */
    static HandshakeGate of(String value) throws IOException {
        if (value == null || value.isBlank()) return new HandshakeGate(DEFAULT_LIMIT);
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1)
            throw new IOException(ENV + " must be a whole number of SSH handshakes in flight at once, 1 or more, not '"
                    + value + "'; unset it for the default (" + DEFAULT_LIMIT + ").");
        return new HandshakeGate(n);
    }

    int limit() {
        return limit;
    }

    /** Handshakes in flight now. */
    int inFlight() {
        return limit - permits.availablePermits();
    }

    /** Hosts waiting for their turn now (an estimate, for tests and diagnostics). */
    int waiting() {
        return permits.getQueueLength();
    }

    /**
     * Waits for a free slot.
     *
     * @throws UnreachableException when the thread is interrupted while waiting (the run is being
     *     stopped): {@code host} was never contacted; the interrupt stays set
     */
    Pass enter(String host) throws UnreachableException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("the run was stopped before moat connected to " + host + ".");
        }
        return new Pass(permits);
    }

    /** A slot in the gate; closing it (once; later closes do nothing) lets the next host in. */
    static final class Pass implements AutoCloseable {
        private Semaphore permits;

        private Pass(Semaphore permits) {
            this.permits = permits;
        }

        @Override
        public synchronized void close() {
            if (permits == null) return;
            permits.release();
            permits = null;
        }
    }
}
