package dev.moat.facts;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.modules.LocalHost;

/** ansible_local from facts.d, against Ansible's answer for the same files (facts/local/README.txt). */
class LocalFactsTest {
    private static final Path DIR = Path.of("src/test/resources/facts/local/facts.d").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSameLocalFactsAndErrorsAsAnsible() throws Exception {
        LocalFacts f = new LocalFacts(DIR.toString());
        LocalFacts.Read read = f.parse(LocalHost.read(f));
        JsonNode moat = JSON.readTree(JSON.writeValueAsString(read.facts()).replace(DIR.toString(), "FACT_PATH"));
        JsonNode ansible = JSON.readTree(Files.readString(DIR.resolveSibling("ansible-local.json")));
        assertEquals(ansible, moat);
        assertEquals(3, read.warnings().size(), read.warnings().toString());
        assertTrue(read.warnings().get(0).contains("error loading facts as JSON or ini"));
    }

    @Test
    void aBadInterpolationLeavesAnsibleLocalUndefinedAsInAnsible() {
        LocalFacts f = new LocalFacts(DIR.resolveSibling("badinterp.d").toString());
        LocalFacts.Read read = f.parse(LocalHost.read(f));
        assertNull(read.facts());
        assertTrue(read.warnings().get(0).contains("badinterp.fact: Bad value substitution: option 'a' in section 's'"), read.warnings().toString());
    }

    @Test
    void aMissingDirectoryIsNoFacts() {
        LocalFacts f = new LocalFacts("/nonexistent/moat/facts.d");
        assertEquals(Map.of(), f.parse(LocalHost.read(f)).facts());
        assertEquals("facts:local:/nonexistent/moat/facts.d", f.key());
    }

    @Test
    void iniAsConfigparserReadsIt() {
        assertEquals(Map.of("s", Map.of("a", "1", "b", "1/x")), FactIni.parse("[s]\nA = 1\nb: %(a)s/x\n"));
        assertNull(FactIni.parse("a = 1\n"), "an option before any section");
        assertNull(FactIni.parse("[s]\njust words\n"), "no separator");
        assertNull(FactIni.parse("[s]\na = 1\nA = 2\n"), "an option twice");
        assertThrows(FactIni.BadValue.class, () -> FactIni.parse("[s]\na = %(missing)s\n"), "a bad interpolation");
        FactIni.BadValue deep = assertThrows(FactIni.BadValue.class, () -> FactIni.parse("[s]\na = %(a)s\n"));
        assertTrue(deep.getMessage().startsWith("Recursion limit exceeded in value substitution: option 'a' in section 's'"), deep.getMessage());
        assertThrows(FactIni.BadValue.class, () -> FactIni.parse("[s]\na = 50%\n"));
        assertEquals(Map.of(), FactIni.parse(""));
    }
}
