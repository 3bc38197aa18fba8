import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

import dev.moat.scan.Finding;
import dev.moat.scan.OutsideScan;
import dev.moat.scan.ScanSettings;
import dev.moat.scan.ScanTarget;
import dev.moat.scan.Trust;

/**
 * Benchmark of moat's outside-in scan on loopback: HOSTS hosts at 127.0.0.2, .3, ... (all of
 * 127/8 is loopback on Linux), each with 10 AI ports: 2 open (fake vLLM and Ollama HTTP servers
 * bound to that address), 2 filtered (listeners whose full accept queue drops SYNs: a connect
 * times out, as behind a DROP firewall) and 6 closed; plus 80 and 443, closed. Prints the median
 * wall time of RUNS scans, run with tests/bench/scan-bench.
 *
 * <p>Usage: java -cp target/classes:DEPS tests/bench/ScanBench.java [HOSTS] [TIMEOUT_MS] [CONCURRENCY] [RUNS]
 */
public class ScanBench {
    static final int OPEN_A = 18000, OPEN_B = 21434, FILTERED_A = 28188, FILTERED_B = 27860;
    static final int[] CLOSED = {28080, 25000, 23000, 28888, 26006, 29090};

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int timeoutMs = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        if (hosts < 1 || hosts > 250) throw new IllegalArgumentException("HOSTS must be 1..250");
        List<AutoCloseable> open = new ArrayList<>();
        List<ScanTarget> targets = new ArrayList<>();
        var pool = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < hosts; i++) {
                InetAddress a = InetAddress.getByName("127.0.0." + (i + 2));
                open.add(fakeAi(a, OPEN_A, "/v1/models", "{\"object\":\"list\",\"data\":[]}", pool));
                open.add(fakeAi(a, OPEN_B, "/api/tags", "{\"models\":[]}", pool));
                for (int p : new int[] {FILTERED_A, FILTERED_B}) open.addAll(filtered(a, p));
                targets.add(new ScanTarget("h" + (i + 1), a.getHostAddress(), List.of()));
            }
            Thread.sleep(300); // let the filler handshakes settle so the queues are full
            List<Integer> ports = new ArrayList<>(List.of(OPEN_A, OPEN_B, FILTERED_A, FILTERED_B));
            for (int c : CLOSED) ports.add(c);
            ScanSettings s = new ScanSettings(ports, Duration.ofMillis(timeoutMs), Duration.ofMillis(Math.max(2000, 2L * timeoutMs)),
                    concurrency, Trust.system());
            long[] ms = new long[runs];
            Map<String, Integer> counts = new TreeMap<>();
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                OutsideScan.Report rep = new OutsideScan(s).run(targets);
                ms[r] = (System.nanoTime() - t0) / 1_000_000;
                counts.clear();
                for (Finding f : rep.findings()) {
                    String key = f.verdict() + " " + (f.detail().startsWith("filtered") ? "filtered" : f.detail().startsWith("closed") ? "closed"
                            : f.detail().startsWith("OpenAI") ? "openai" : f.detail().startsWith("Ollama") ? "ollama" : "other");
                    counts.merge(key, 1, Integer::sum);
                }
                System.out.printf("run %d: %d ms%n", r + 1, ms[r]);
            }
            Arrays.sort(ms);
            System.out.printf("%d hosts x %d ports (+80, 443): median %d ms (min %d, max %d) over %d runs; timeout %d ms, concurrency %d%n",
                    hosts, ports.size(), ms[runs / 2], ms[0], ms[runs - 1], runs, timeoutMs, concurrency);
            System.out.println("findings: " + counts);
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort
                }
            }
            pool.shutdownNow();
        }
    }

    static AutoCloseable fakeAi(InetAddress a, int port, String path, String body, java.util.concurrent.Executor pool) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(a, port), 50);
        s.setExecutor(pool);
        s.createContext("/", ex -> {
            boolean hit = ex.getRequestURI().getPath().equals(path);
            byte[] b = (hit ? body : "not found").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(hit ? 200 : 404, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        s.start();
        return () -> s.stop(0);
    }

    /** A listener that never accepts, its accept queue filled by non-blocking connects: later SYNs are dropped. */
    static List<AutoCloseable> filtered(InetAddress a, int port) throws IOException {
        List<AutoCloseable> out = new ArrayList<>();
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(a, port), 1);
        out.add(ss);
        for (int i = 0; i < 3; i++) {
            SocketChannel c = SocketChannel.open();
            c.configureBlocking(false);
            c.connect(new InetSocketAddress(a, port));
            out.add(c);
        }
        return out;
    }
}
