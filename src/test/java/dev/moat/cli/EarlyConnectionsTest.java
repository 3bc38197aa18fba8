package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.moat.transport.Command;
import dev.moat.transport.Endpoint;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;

/** The decisions of {@link EarlyConnections}, with fake connections (LoopbackCheckTest runs the real ones). */
class EarlyConnectionsTest {
    static final class Fake implements Transport {
        final String host;
        final CountDownLatch closed = new CountDownLatch(1);

        Fake(String host) {
            this.host = host;
        }

        @Override public String host() { return host; }
        @Override public ExecResult exec(Command command) { throw new UnsupportedOperationException(); }
        @Override public void close() { closed.countDown(); }
        boolean isClosed() throws InterruptedException { return closed.await(5, TimeUnit.SECONDS); }
    }

    static Endpoint at(String host, String user) {
        return Endpoint.of(host, "10.0.0.1", 22, user);
    }

    @Test
    void theRunTakesTheConnectionOpenedForTheSameEndpointOnce() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        try (EarlyConnections ec = EarlyConnections.start(Map.of("h1", at("h1", "root")), e -> {
            opened.incrementAndGet();
            return new Fake(e.name());
        })) {
            Transport t = ec.take("h1", at("h1", "root"));
            assertEquals("h1", t.host());
            assertNull(ec.take("h1", at("h1", "root")), "taken once: a second connection is the runner's own");
            assertNull(ec.take("h2", at("h2", "root")), "no early connection to a host not started");
            assertEquals(1, opened.get());
            assertFalse(((Fake) t).closed.await(100, TimeUnit.MILLISECONDS), "what the run took stays open");
        }
    }

    @Test
    void aConnectionOpenedForAnotherEndpointIsClosedAndNotUsed() throws Exception {
        Map<String, Fake> made = new java.util.concurrent.ConcurrentHashMap<>();
        try (EarlyConnections ec = EarlyConnections.start(Map.of("h1", at("h1", "root")), e -> {
            Fake f = new Fake(e.name());
            made.put(e.name(), f);
            return f;
        })) {
            assertNull(ec.take("h1", at("h1", "admin")), "the play logs in as admin: not the root connection");
            // closed once it is made, whenever that is
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!made.containsKey("h1") && System.nanoTime() < end) Thread.sleep(10);
            assertTrue(made.get("h1").isClosed());
        }
    }

    @Test
    void aFailedAttemptGivesTheRunnerTheSameError() {
        UnreachableException refused = new UnreachableException("h1 (10.0.0.1:22) refused the connection: is sshd listening on port 22?");
        try (EarlyConnections ec = EarlyConnections.start(Map.of("h1", at("h1", "root")), e -> {
            throw refused;
        })) {
            IOException thrown = assertThrows(IOException.class, () -> ec.take("h1", at("h1", "root")));
            assertSame(refused, thrown);
        }
    }

    @Test
    void closeClosesWhatTheRunNeverTookEvenWhileItIsStillConnecting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Map<String, Fake> made = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        endpoints.put("h1", at("h1", "root"));
        endpoints.put("h2", at("h2", "root"));
        EarlyConnections ec = EarlyConnections.start(endpoints, e -> {
            if (e.name().equals("h2")) {
                try {
                    release.await();
                } catch (InterruptedException ie) {
                    throw new IOException(ie);
                }
            }
            Fake f = new Fake(e.name());
            made.put(e.name(), f);
            return f;
        });
        assertEquals(2, ec.untaken());
        ec.close();
        assertEquals(0, ec.untaken());
        release.countDown();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (made.size() < 2 && System.nanoTime() < end) Thread.sleep(10);
        assertTrue(made.get("h1").isClosed());
        assertTrue(made.get("h2").isClosed(), "the connection made after close() is closed as it arrives");
    }

    @Test
    void noHostsStartsNothing() throws IOException {
        EarlyConnections ec = EarlyConnections.start(Map.of(), e -> {
            throw new AssertionError("nothing to open");
        });
        assertSame(EarlyConnections.NONE, ec);
        assertNull(ec.take("h1", at("h1", "root")));
    }
}
