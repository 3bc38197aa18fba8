package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moat.transport.UnreachableException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandshakeGateTest {

    @Test
    void neverMoreInFlightThanTheLimitAndEveryoneGetsThrough() throws Exception {
        HandshakeGate gate = new HandshakeGate(4);
        AtomicInteger inside = new AtomicInteger(), most = new AtomicInteger(), done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String host = "h" + i;
                fs.add(pool.submit(() -> {
                    try (HandshakeGate.Pass p = gate.enter(host)) {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.sleep(1);
                        inside.decrementAndGet();
                    }
                    done.incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, done.get());
        assertEquals(4, most.get(), "at most 4 at once, and the limit was reached");
        assertEquals(0, gate.inFlight());
    }

    @Test
    void waitersGoInInTheOrderTheyCame() throws Exception {
        HandshakeGate gate = new HandshakeGate(1);
        HandshakeGate.Pass first = gate.enter("h0");
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> ts = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String host = "h" + i;
            Thread t = new Thread(() -> {
                try (HandshakeGate.Pass p = gate.enter(host)) {
                    order.add(host);
                } catch (UnreachableException e) {
                    order.add("interrupted " + host);
                }
            });
            t.start();
            ts.add(t);
            long until = System.nanoTime() + 5_000_000_000L;
            while (gate.waiting() < i && System.nanoTime() < until) Thread.sleep(1);
        }
        assertEquals(5, gate.waiting());
        first.close();
        for (Thread t : ts) t.join(10_000);
        assertEquals(List.of("h1", "h2", "h3", "h4", "h5"), order);
    }

    @Test
    void closingAPassTwiceFreesOneSlot() throws Exception {
        HandshakeGate gate = new HandshakeGate(2);
        HandshakeGate.Pass p = gate.enter("h1");
        assertEquals(1, gate.inFlight());
        p.close();
        p.close();
        assertEquals(0, gate.inFlight());
        try (HandshakeGate.Pass a = gate.enter("a"); HandshakeGate.Pass b = gate.enter("b")) {
            assertEquals(2, gate.inFlight(), "two slots, not three");
        }
    }

    @Test
    void aStoppedRunLeavesTheQueueWithoutContactingTheHost() throws Exception {
        HandshakeGate gate = new HandshakeGate(1);
        HandshakeGate.Pass held = gate.enter("h0");
        CountDownLatch out = new CountDownLatch(1);
        List<Object> seen = Collections.synchronizedList(new ArrayList<>());
        Thread t = new Thread(() -> {
            try {
                gate.enter("gpu-07");
                seen.add("entered");
            } catch (UnreachableException e) {
                seen.add(e.getMessage());
                seen.add(Thread.currentThread().isInterrupted());
            }
            out.countDown();
        });
        t.start();
        while (gate.waiting() < 1) Thread.sleep(1);
        t.interrupt();
        assertTrue(out.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("the run was stopped before moat connected to gpu-07.", true), seen);
        held.close();
        assertEquals(0, gate.inFlight());
    }

    @Test
    void theVariableSetsTheLimitAndABadValueIsAClearError() throws Exception {
        assertEquals(HandshakeGate.DEFAULT_LIMIT, HandshakeGate.of(null).limit());
        assertEquals(HandshakeGate.DEFAULT_LIMIT, HandshakeGate.of(" ").limit());
        assertEquals(32, HandshakeGate.of("32").limit());
        assertEquals(1, HandshakeGate.of(" 1 ").limit());
        for (String bad : List.of("0", "-3", "many", "1.5")) {
            IOException e = assertThrows(IOException.class, () -> HandshakeGate.of(bad));
            assertEquals("MOAT_SSH_HANDSHAKES must be a whole number of SSH handshakes in flight at once, 1 or more, not '"
                    + bad + "'; unset it for the default (8).", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new HandshakeGate(0));
    }
}
