package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;
import dev.moat.compose.Ip;

/**
 * A host's IPv6 addresses in the scan: the inside audit reads its global ones from
 * {@code /proc/net/if_inet6}, and the outside scan probes the AI ports at each, so a vLLM that
 * answers only on IPv6 is EXPOSED, named with the address it answered at.
 */
class Ipv6ScanTest {
    @Test
    void theAuditKeepsOnlyGlobalAddressesAHostCanBeReachedAt() {
        AuditOutput out = AuditOutput.parse(String.join("\n", AuditScript.MAGIC,
                "@@section addr6",
                // address ifindex prefix scope flags name, as the kernel prints them
                "fd00001000770000000000000000001102 02 40 00 80     eth0", // malformed: 34 digits
                "fd000010007700000000000000000011 02 40 00 80     eth0",
                "20010db8000000000000000000000005 02 40 00 80     eth0",
                "20010db8000000000000000000000006 02 40 00 c0     eth0", // tentative (0x40): not yet usable
                "20010db8000000000000000000000007 02 40 00 a0     eth0", // deprecated (0x20)
                "20010db8000000000000000000000008 02 40 00 88     eth0", // duplicate address detection failed (0x08)
                "20010db8000000000000000000000009 02 40 00 82     eth0", // permanent, added with nodad (0x02): usable
                "fe800000000000000c8f6cfffe2e7c3a 02 40 20 80     eth0", // link-local scope
                "00000000000000000000000000000001 01 80 10 80       lo", // host scope
                "fd00000000000000000000000000dead 03 40 00 80  docker0", // Docker's own bridge
                "fd00000000000000000000000000beef 04 40 00 80 br-1a2b3c", // a Compose network's bridge
                "fd000010007700000000000000000011 05 40 00 80     eth1", // the same address again
                "@@section end", ""));
        assertEquals(List.of("fd00:10:77::11", "2001:db8::5", "2001:db8::9"), out.globalIpv6());
    }

    @Test
    void anOldAuditWithoutTheSectionHasNoAddresses() {
        AuditOutput out = AuditOutput.parse(String.join("\n", AuditScript.MAGIC, "@@section end", ""));
        assertEquals(List.of(), out.globalIpv6());
    }

    @Test
    void addressesAreWrittenAsPeopleWriteThem() throws Exception {
        assertEquals("::1", Ip.text(InetAddress.getByName("0:0:0:0:0:0:0:1")));
        assertEquals("fd00:10:77::11", Ip.text(InetAddress.getByName("fd00:10:77:0:0:0:0:11")));
        assertEquals("2001:db8:0:1:1:1:1:1", Ip.text(InetAddress.getByName("2001:db8:0:1:1:1:1:1")), "one zero group stays");
        assertEquals("2001:0:0:1::1", Ip.text(InetAddress.getByName("2001:0:0:1:0:0:0:1")), "the longest run is the one shortened");
        assertEquals("::", Ip.text(InetAddress.getByName("::")));
        assertEquals("10.77.0.11", Ip.text(InetAddress.getByName("10.77.0.11")));
    }

    @Test
    void anAiPortOpenOnlyAtTheHostsIpv6AddressIsExposed() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        HttpServer vllm;
        try {
            vllm = HttpServer.create(new InetSocketAddress(v6, 0), 10);
        } catch (java.net.SocketException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
            return;
        }
        vllm.createContext("/", ex -> {
            byte[] body = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/v1/models") ? 200 : 404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        vllm.start();
        try {
            int port = vllm.getAddress().getPort();
            int closed = TestServers.closedPort();
            ScanSettings s = new ScanSettings(List.of(port, closed), Duration.ofMillis(500), Duration.ofSeconds(3), 16, Trust.system(),
                    TestServers.closedPort(), TestServers.closedPort());
            // Reached at 127.0.0.1 (where nothing listens on the port) and, as the audit read, at ::1.
            ScanTarget t = new ScanTarget("h1", "127.0.0.1", List.of(), true, List.of("::1", "not-an-address", "10.0.0.1"));
            OutsideScan.Report r = new OutsideScan(s, InetAddress::getByName).run(List.of(t));
            Finding v4 = r.findings().stream().filter(f -> f.check().equals("port " + port)).findFirst().orElseThrow();
            assertEquals(Verdict.OK, v4.verdict(), v4.toString());
            Finding at = r.findings().stream().filter(f -> f.check().equals("port " + port + " at ::1")).findFirst()
                    .orElseThrow(() -> new AssertionError(r.findings().toString()));
            assertEquals(Verdict.EXPOSED, at.verdict(), at.toString());
            assertTrue(at.detail().toLowerCase().contains("openai") || at.detail().toLowerCase().contains("vllm"), at.detail());
            Finding quiet = r.findings().stream().filter(f -> f.check().equals("at ::1")).findFirst()
                    .orElseThrow(() -> new AssertionError(r.findings().toString()));
            assertEquals(Verdict.OK, quiet.verdict());
            assertEquals("port " + closed + " closed", quiet.detail());
            assertTrue(r.findings().stream().noneMatch(f -> f.check().contains("10.0.0.1") || f.check().contains("not-an-address")),
                    "only IPv6 literals from the audit: " + r.findings());
        } finally {
            vllm.stop(0);
        }
    }
}
