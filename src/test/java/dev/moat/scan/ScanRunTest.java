package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.compose.ComposeSearch;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;

/** The scan service with a fake SSH side: the inside audit's findings, their side, and the exit code it decides. */
class ScanRunTest {
    @TempDir
    Path tmp;

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = ScanRunTest.class.getResourceAsStream("/scan/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theInsideAuditRunsPerHostAndAnUnreachableHostExitsThree() throws Exception {
        Path inv = tmp.resolve("inv.yml");
        Files.writeString(inv, "all:\n  hosts:\n    gpu1:\n      ansible_host: 127.0.0.1\n      compose_search: [/data]\n"
                + "    gpu2:\n      ansible_host: 127.0.0.1\n");
        byte[] hardened = fixture("audit-hardened.txt");
        List<String> scripts = new ArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        ScanRun.Ssh ssh = (inventory, hosts) -> new ScanRun.Session() {
            @Override
            public Transport connect(String host, Map<String, Object> vars) throws UnreachableException {
                if (host.equals("gpu2")) throw new UnreachableException("connection refused");
                return new Transport() {
                    @Override
                    public String host() {
                        return host;
                    }

                    @Override
                    public ExecResult exec(Command c) {
                        synchronized (scripts) {
                            scripts.add(c.script());
                        }
                        return new ExecResult(0, hardened, new byte[0]);
                    }

                    @Override
                    public void close() {}
                };
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        ScanRun.Report r = new ScanRun(new ScanRun.Request(inv, null, List.of(closedPort()), null, Duration.ofMillis(300), 8, true), ssh).run();
        assertEquals(3, r.exit(), r.findings().toString());
        assertTrue(closed.get(), "the SSH session is closed");
        Finding unreachable = r.findings().stream().filter(f -> f.host().equals("gpu2") && f.check().equals("ssh")).findFirst().orElseThrow();
        assertEquals("inside", r.side(unreachable));
        Finding ufw = r.findings().stream().filter(f -> f.host().equals("gpu1") && f.check().equals("ufw")).findFirst().orElseThrow();
        assertEquals("inside", r.side(ufw));
        assertTrue(r.findings().stream().filter(f -> f.host().equals("gpu1")).noneMatch(f -> f.verdict().bad()), r.findings().toString());
        assertEquals("outside", r.side(r.findings().stream().filter(f -> f.check().startsWith("port ")).findFirst().orElseThrow()));
        assertEquals(1, scripts.size());
        assertTrue(scripts.get(0).contains("for d in /data;"), "gpu1's compose_search");
    }

    @Test
    void withoutInsideNoSshIsOpened() throws Exception {
        Path inv = tmp.resolve("inv.yml");
        Files.writeString(inv, "all:\n  hosts:\n    gpu1:\n      ansible_host: 127.0.0.1\n");
        ScanRun.Report r = new ScanRun(new ScanRun.Request(inv, null, List.of(closedPort()), null, Duration.ofMillis(300), 8, false),
                (inventory, hosts) -> { throw new AssertionError("no SSH without --inside"); }).run();
        assertEquals(0, r.exit(), r.findings().toString());
    }

    @Test
    void composeSearchComesFromTheHostsVariable() {
        assertEquals(ComposeSearch.defaults(), ScanRun.composeSearch(null));
        assertEquals(new ComposeSearch(List.of("/data"), ComposeSearch.DEFAULT_DEPTH), ScanRun.composeSearch(List.of("/data", "{{ x }}")));
        assertEquals(List.of("/srv/ai"), ScanRun.composeSearch("/srv/ai").dirs());
    }
}
