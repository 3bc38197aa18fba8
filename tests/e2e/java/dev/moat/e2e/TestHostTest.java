package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestHostTest {
    @Test
    void aDirectHostIsReachedAtItsOwnAddress() {
        TestHost h = TestHost.parse("h1\t10.77.0.11\t22\n");
        assertEquals(new TestHost("h1", "10.77.0.11", 22, "10.77.0.11", 22), h);
        assertFalse(h.proxied());
    }

    @Test
    void withLatencySshGoesThroughTheProxyAndTheHostKeepsItsAddress() {
        TestHost h = TestHost.parse("h2\t10.78.0.12\t22\t127.0.0.1:27802");
        assertEquals("10.78.0.12", h.address());
        assertEquals(22, h.port());
        assertEquals("127.0.0.1", h.sshAddress());
        assertEquals(27802, h.sshPort());
        assertTrue(h.proxied());
    }

    @Test
    void badLinesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TestHost.parse("h1\t10.77.0.11"));
        assertThrows(IllegalArgumentException.class, () -> TestHost.parse("h1\t10.77.0.11\t22\t27802"));
        assertThrows(IllegalArgumentException.class, () -> TestHost.parse("h1\t10.77.0.11\t0"));
    }

    @Test
    void theTestbedReadsItsModeAndAddressesFromItsStateDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("hosts.tsv"), "h1\t10.78.0.11\t22\t127.0.0.1:27801\n");
        Files.writeString(dir.resolve("config"),
                "N=1 DOCKER=0 AI=0 LATENCY=25 SSH_PORT=22 PURGE=\"nginx ufw\" SYSTEMD=1\n");
        Files.writeString(dir.resolve("env"), "export MOAT_TESTBED_APT_URL='http://10.78.0.1:3142'\n"
                + "export MOAT_TESTBED_PEBBLE_URL='https://10.78.0.1:14000/dir'\n");
        Testbed tb = Testbed.load(dir);
        assertTrue(tb.systemd());
        assertFalse(tb.docker());
        assertEquals(25, tb.latencyMs());
        assertEquals("http://10.78.0.1:3142", tb.aptUrl());
        assertEquals("https://10.78.0.1:14000/dir", tb.pebbleDirectoryUrl());
        assertTrue(String.join(" ", tb.sshCommand("h1", "root")).endsWith("-p 27801 root@127.0.0.1"));
    }

    @Test
    void aTestbedFromBeforeTheseModesIsTheDefaultOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("hosts.tsv"), "h1\t10.77.0.11\t22\n");
        Files.writeString(dir.resolve("config"), "N=1 DOCKER=1 AI=1 LATENCY=0 SSH_PORT=22 PURGE=\"\"\n");
        Testbed tb = Testbed.load(dir);
        assertFalse(tb.systemd());
        assertTrue(tb.docker());
        assertEquals(0, tb.latencyMs());
        assertEquals("http://10.77.0.1:3142", tb.aptUrl());
        assertEquals(Map.of("A", "x y", "B", "2"), Testbed.assignments("A='x y' B=2"));
    }
}
