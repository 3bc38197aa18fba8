package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's IPv6 probe, through the bridge: a testbed host has a global IPv6 address beside its
 * IPv4 one (fd00:A:B::N), and a server on an AI port that listens on that IPv6 address only.
 * The inventory names the host by its IPv4 address, so the plain outside scan cannot know the IPv6
 * one and finds the port closed; {@code moat scan --inside} reads the host's global addresses and
 * probes them from outside too, and reports the port EXPOSED at its IPv6 address (exit 2).
 */
class Ipv6ScanE2E {
    static final int PORT = 18000;
    static Testbed tb;
    static Path dir;
    static String v6, pid;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        v6 = tb.execOk("h1", "ip -6 -o addr show dev eth0 scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n 1").strip();
        assumeTrue(!v6.isEmpty(), "the testbed's hosts have no global IPv6 address (a testbed from before they had one)");
        assumeTrue(tb.execOk("h1", "ufw status 2>/dev/null | head -n 1").contains("inactive"), "h1's UFW must be inactive for this test");
        dir = Files.createTempDirectory("moat-ipv6-e2e");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        pid = tb.execOk("h1", "cd /tmp; setsid python3 -m http.server --bind " + v6 + " " + PORT
                + " </dev/null >/tmp/moat-ipv6-e2e.log 2>&1 & echo $!").strip();
        String up = tb.execOk("h1", "for i in $(seq 50); do ss -Htln 'sport = :" + PORT + "' | grep -q . && { echo up; break; }; sleep 0.1; done");
        assertEquals("up", up.strip(), "the IPv6-only server started");
    }

    @AfterAll
    static void tearDown() {
        if (pid != null && pid.matches("\\d+")) tb.exec("h1", "kill " + pid); // the server started above, by its PID
    }

    static ProcResult scan(String... extra) {
        String[] base = {"scan", "-i", tb.inventory().toString(), "--limit", "h1", "--ports", String.valueOf(PORT),
                "--known-hosts", tb.knownHosts().toString(), "--private-key", tb.key().toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return MoatCli.run(dir, env, Duration.ofMinutes(3), all);
    }

    @Test
    void theInsideAuditsIpv6AddressesAreProbedFromOutside() {
        // The host answers on IPv6 from this machine, through the bridge.
        ProcResult curl = Procs.run(java.util.List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-g",
                "http://[" + v6 + "]:" + PORT + "/"), dir, Map.of(), "", Duration.ofSeconds(20));
        assertEquals("200", curl.stdout().strip(), curl.describe());

        ProcResult outside = scan();
        assertTrue(outside.stdout().matches("(?s).*port " + PORT + "\\b[^\\n]*closed.*"), "IPv4 closed: " + outside.stdout());
        assertTrue(!outside.stdout().contains(" at " + v6), "the IPv6 address is not known without --inside: " + outside.stdout());

        ProcResult inside = scan("--inside");
        assertEquals(2, inside.exitCode(), inside.describe());
        assertTrue(inside.stdout().matches("(?s).*\\nh1 +port " + PORT + " at " + java.util.regex.Pattern.quote(v6) + " +EXPOSED .*"),
                "EXPOSED at the IPv6 address: " + inside.stdout());
    }
}
