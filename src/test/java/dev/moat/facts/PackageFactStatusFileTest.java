package dev.moat.facts;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.moat.module.FactOutput;

/**
 * {@link PackageFact} reads dpkg's status file; {@code dpkg-query} read the same before. Recorded on a
 * testbed host ({@code facts/dpkg-status-vs-query.txt}: each package's {@code dpkg-query -W} line,
 * then the fact's awk over /var/lib/dpkg/status): both must parse to the same state.
 */
class PackageFactStatusFileTest {
    @Test
    void statusFileAndDpkgQueryAgreeOnRecordedPackages() throws Exception {
        String rec;
        try (InputStream in = getClass().getResourceAsStream("/facts/dpkg-status-vs-query.txt")) {
            rec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int compared = 0;
        for (String block : rec.split("== ")) {
            if (block.isBlank()) continue;
            String name = block.substring(0, block.indexOf('\n')).strip();
            String old = block.substring(block.indexOf("-- old\n") + 7, block.indexOf("-- new\n"));
            String now = block.substring(block.indexOf("-- new\n") + 7);
            PackageFact f = new PackageFact(name);
            assertEquals(f.parse(out(old)), f.parse(out(now)), name);
            compared++;
        }
        assertEquals(7, compared);
    }

    @Test
    void statusWordsAbbreviateAsDpkgQueryDoes() {
        assertEquals("ii ", PackageFact.abbrev("install ok installed"));
        assertEquals("rc ", PackageFact.abbrev("deinstall ok config-files"));
        assertEquals("un ", PackageFact.abbrev("unknown ok not-installed"));
        assertEquals("iHR", PackageFact.abbrev("install reinstreq half-installed"));
        assertEquals("hi ", PackageFact.abbrev("hold ok installed"));
        PackageState rc = new PackageFact("x").parse(out("deinstall ok config-files|1.0\n"));
        assertFalse(rc.installed());
        assertEquals("rc", rc.status());
    }

    @Test
    void scriptReadsTheStatusFileUnlessDpkgHasUnmergedUpdates() {
        String s = new PackageFact("ufw").script();
        assertTrue(s.contains("/var/lib/dpkg/status") && s.contains("/var/lib/dpkg/updates/"), s);
        assertTrue(new PackageFact("libc6:amd64").script().startsWith("dpkg-query"));
    }

    private static FactOutput out(String s) {
        return new FactOutput(0, s.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}
