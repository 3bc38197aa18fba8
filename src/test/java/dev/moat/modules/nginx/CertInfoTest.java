package dev.moat.modules.nginx;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.moat.module.FactOutput;
import dev.moat.modules.LocalHost;
import dev.moat.transport.Sh;

class CertInfoTest {
    static String fixture(String name) throws IOException {
        try (InputStream in = CertInfoTest.class.getResourceAsStream("/nginx/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsEndDateAndNames() throws Exception {
        CertInfo c = CertInfo.parse(fixture("x509-api.h1.test.txt"));
        assertEquals(Instant.parse("2027-01-15T12:00:00Z"), c.notAfter());
        assertEquals(List.of("api.h1.test", "www.h1.test"), c.dnsNames());
        assertTrue(c.covers(List.of("www.h1.test", "API.h1.test")));
        assertFalse(c.covers(List.of("api.h1.test", "new.h1.test")));
        assertEquals(List.of("new.h1.test"), c.missing(List.of("api.h1.test", "new.h1.test")));
    }

    @Test
    void aSpacePaddedDayNoSanAndIpEntries() throws Exception {
        CertInfo none = CertInfo.parse(fixture("x509-no-san.txt"));
        assertEquals(Instant.parse("2026-12-05T04:56:46Z"), none.notAfter());
        assertEquals(List.of(), none.dnsNames());
        assertFalse(none.covers(List.of("nosan.test")));
        CertInfo mixed = CertInfo.parse(fixture("x509-mixed-case-and-ip.txt"));
        assertEquals(List.of("api.h1.test"), mixed.dnsNames());
    }

    @Test
    void absentAndGarbage() {
        assertNull(CertInfo.parse("absent\n"));
        assertThrows(IllegalArgumentException.class, () -> CertInfo.parse("unable to load certificate\n"));
        assertThrows(IllegalArgumentException.class, () -> CertInfo.parse("notAfter=someday\n"));
    }

    @Test
    void daysLeftAreWholeDaysAndNegativeOnceExpired() {
        CertInfo c = new CertInfo(Instant.parse("2027-01-15T12:00:00Z"), List.of("a.test"));
        assertEquals(31, c.daysLeft(Instant.parse("2026-12-15T12:00:00Z")));
        assertEquals(30, c.daysLeft(Instant.parse("2026-12-15T12:00:01Z")));
        assertEquals(0, c.daysLeft(Instant.parse("2027-01-15T11:59:59Z")));
        assertEquals(-1, c.daysLeft(Instant.parse("2027-01-15T12:00:01Z")));
    }

    @Test
    void theFactScriptPrintsExactlyTheFixtureForTheRealCertificate() throws Exception {
        Path pem = pem();
        FactOutput out = LocalHost.sh(CertInfo.script(Sh.q(pem.toString())), null);
        assertEquals(0, out.rc(), out.errText());
        assertEquals(fixture("x509-api.h1.test.txt"), out.text());
        assertEquals("absent\n", LocalHost.sh(CertInfo.script(Sh.q(pem + ".missing")), null).text());
    }

    private static Path pem() throws URISyntaxException {
        return Path.of(CertInfoTest.class.getResource("/nginx/api.h1.test-cert.pem").toURI());
    }
}
