package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TcpScannerTest {
    @Test
    void tellsOpenClosedAndFilteredApartOnLoopback() throws Exception {
        try (TestServers s = new TestServers()) {
            int open = s.http(Map.of(), null);
            int closed = TestServers.closedPort();
            int filtered = s.filteredPort();
            assumeTrue(filtered > 0, "this kernel completes handshakes even with a full accept queue");
            TcpScanner.Target o = new TcpScanner.Target(TestServers.LOOPBACK, open);
            TcpScanner.Target c = new TcpScanner.Target(TestServers.LOOPBACK, closed);
            TcpScanner.Target f = new TcpScanner.Target(TestServers.LOOPBACK, filtered);
            long t0 = System.nanoTime();
            Map<TcpScanner.Target, PortState> r = TcpScanner.scan(List.of(o, c, f), Duration.ofMillis(400), 10);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(PortState.OPEN, r.get(o));
            assertEquals(PortState.CLOSED, r.get(c));
            assertEquals(PortState.FILTERED, r.get(f));
            assertTrue(ms >= 350 && ms < 3000, "a filtered port costs the timeout, once: " + ms + " ms");
        }
    }

    @Test
    void manyFilteredPortsCostOneTimeoutPerBatchNotEach() throws Exception {
        try (TestServers s = new TestServers()) {
            List<TcpScanner.Target> targets = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int f = s.filteredPort();
                assumeTrue(f > 0, "no way to make a filtered port here");
                targets.add(new TcpScanner.Target(TestServers.LOOPBACK, f));
            }
            long t0 = System.nanoTime();
            Map<TcpScanner.Target, PortState> r = TcpScanner.scan(targets, Duration.ofMillis(300), 4);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(r.values().stream().allMatch(p -> p == PortState.FILTERED), r.toString());
            // 8 ports, 4 in flight: two rounds of 300 ms, not eight.
            assertTrue(ms >= 550 && ms < 2500, ms + " ms");
        }
    }
}
