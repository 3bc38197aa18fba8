package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves {@code testbed up --latency MS} adds the delay it claims: one round trip through the
 * delaying proxy costs 2 x MS more than straight to the host, and an {@code ssh host true} (connect,
 * key exchange, auth, one exec) several such round trips. Medians of 5. Skipped without --latency.
 */
class LatencyProxyE2E {
    private static final int RUNS = 5;
    private static Testbed tb;

    @BeforeAll
    static void testbed() {
        tb = Testbed.fromEnv();
        assumeTrue(tb.latencyMs() > 0, "testbed runs without --latency");
    }

    @Test
    void oneRoundTripThroughTheProxyCostsTwiceTheDelay() throws IOException {
        TestHost h = tb.hosts().get(0);
        double direct = median(roundTrips(h.address(), h.port()));
        double proxied = median(roundTrips(h.sshAddress(), h.sshPort()));
        double added = proxied - direct;
        int claimed = 2 * tb.latencyMs();
        String msg = "round trip direct %.1f ms, proxied %.1f ms: added %.1f ms, claimed %d ms".formatted(direct, proxied, added, claimed);
        System.out.println("LatencyProxyE2E: " + msg);
        assertTrue(added >= claimed * 0.9 && added <= claimed + 40, msg);
    }

    @Test
    void sshThroughTheProxyPaysSeveralRoundTrips() {
        String h = tb.hosts().get(0).name();
        double direct = median(sshTrue(tb.directSshCommand(h, "root")));
        double proxied = median(sshTrue(tb.sshCommand(h, "root")));
        double roundTrips = (proxied - direct) / (2.0 * tb.latencyMs());
        String msg = "ssh true direct %.0f ms, proxied %.0f ms: %.1f round trips of %d ms"
                .formatted(direct, proxied, roundTrips, 2 * tb.latencyMs());
        System.out.println("LatencyProxyE2E: " + msg);
        // At least two round trips whatever the noise (a loaded 2-core machine varies ssh by 0.3 s).
        assertTrue(roundTrips >= 2 && roundTrips <= 15, msg);
    }

    /** Milliseconds from reading sshd's banner to its close after a non-SSH line: one round trip. */
    private static List<Double> roundTrips(String address, int port) throws IOException {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 10_000);
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                if (in.read(buf) <= 0) {
                    throw new IOException("no SSH banner from " + address + ":" + port);
                }
                long t0 = System.nanoTime();
                s.getOutputStream().write("not ssh\r\n".getBytes(StandardCharsets.US_ASCII));
                while (in.read(buf) > 0) {
                    // sshd refuses the line and closes: the close is the answer
                }
                ms.add((System.nanoTime() - t0) / 1e6);
            }
        }
        return ms;
    }

    private static List<Double> sshTrue(List<String> ssh) {
        List<String> cmd = new ArrayList<>(ssh);
        cmd.add("true");
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            ProcResult r = Procs.run(cmd, null, Map.of(), "", Duration.ofSeconds(60));
            assertTrue(r.ok(), r.describe());
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return ms;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
