package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The audit's UFW state from ufw's own record equals what {@code ufw status} said. Recorded on a
 * testbed host (ufw 0.36.2) with rules of every kind the status shows: ports, lists, ranges, a
 * source, a destination address, deny, limit, an interface with a comment, udp, IPv6, an outgoing
 * and a routed rule: the {@code ### tuple ###} lines of user.rules and user6.rules the audit now
 * reads, beside {@code ufw status} run at the same moment.
 */
class UfwStatusFilesTest {
    static final Path RECORDED = Path.of("src/test/resources/hostread/h3-ufw");

    private static UfwStatus status(List<String> lines) {
        return UfwStatus.parse(new AuditOutput.Section("ufw", lines, null, null));
    }

    @Test
    void theTuplesSayWhatUfwStatusSaid() throws IOException {
        UfwStatus cli = status(Files.readAllLines(RECORDED.resolve("ufw-status.txt")));
        List<String> section = new ArrayList<>(List.of("Status: active"));
        section.addAll(Files.readAllLines(RECORDED.resolve("tuples.txt")));
        UfwStatus files = status(section);
        assertTrue(cli.active());
        assertEquals(cli.active(), files.active());
        assertEquals(cli.allowRules().size(), files.allowRules().size());
        assertEquals(cli.routeRules().size(), files.routeRules().size());
        for (int port = 1; port <= 65535; port++) {
            assertEquals(cli.lets(port), files.lets(port), "port " + port);
            assertEquals(cli.routes(port), files.routes(port), "port " + port);
        }
        assertTrue(files.lets(9005) && files.routes(8000) && !files.routes(22));
    }

    @Test
    void eachTupleReadsAsUfwStatusShowsIt() {
        assertEquals("22/tcp ALLOW IN Anywhere", UfwStatus.statusLine("allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in"));
        assertEquals("10.86.0.13 8188/tcp ALLOW IN Anywhere", UfwStatus.statusLine("allow tcp 8188 10.86.0.13 any 0.0.0.0/0 in"));
        assertEquals("Anywhere ALLOW IN 10.9.0.0/16", UfwStatus.statusLine("allow any any 0.0.0.0/0 any 10.9.0.0/16 in"));
        assertEquals("8000/tcp ALLOW FWD Anywhere", UfwStatus.statusLine("route:allow tcp 8000 ::/0 any ::/0 in"));
        assertEquals("53/udp ALLOW OUT Anywhere", UfwStatus.statusLine("allow udp 53 0.0.0.0/0 any 0.0.0.0/0 out"));
        assertEquals("7000/tcp ALLOW IN Anywhere", UfwStatus.statusLine("allow tcp 7000 0.0.0.0/0 any 0.0.0.0/0 in_eth0 comment=782079"));
        assertEquals("Nginx Full ALLOW IN Anywhere", UfwStatus.statusLine("allow_log tcp 80,443 0.0.0.0/0 any 0.0.0.0/0 Nginx%20Full - in"));
    }

    @Test
    void inactiveIsInactive() {
        assertEquals(false, status(List.of("Status: inactive")).active());
    }
}
