package dev.moat.playbook;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.MoatException;

class ExtraVarsTest {
    @TempDir
    Path dir;

    @Test
    void keyValueGivesStrings() {
        assertEquals(Map.of("port", "8000", "name", "two words", "tls", "false"),
                ExtraVars.parse(List.of("port=8000", "name=\"two words\" tls=false")));
    }

    @Test
    void fileAndJsonAndLaterWins() throws Exception {
        Path f = dir.resolve("vars.yml");
        Files.writeString(f, "ports: [8000, 11434]\ntls: no\nname: a\n");
        Map<String, Object> v = ExtraVars.parse(List.of("@" + f, "{\"name\": \"b\", \"n\": 1}"));
        assertEquals(List.of(8000, 11434), v.get("ports"));
        assertEquals(false, v.get("tls"));
        assertEquals("b", v.get("name"));
        assertEquals(1, v.get("n"));
        assertEquals("c", ExtraVars.parse(List.of("@" + f, "name=c")).get("name"));
    }

    @Test
    void errorsNameTheOptionAndExit64() {
        for (String bad : List.of("foo", "a=1 oops", "@", "@/no/such/file.yml", "{\"a\": ", "[1, 2]", "", "a=\"open", "{\"bad-name\": 1}")) {
            MoatException e = assertThrows(MoatException.class, () -> ExtraVars.parse(List.of(bad)), bad);
            assertEquals(ExitCode.USAGE, e.exitCode(), bad);
            assertTrue(e.getMessage().startsWith("-e '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void aBrokenFileNamesItsLine() throws Exception {
        Path f = dir.resolve("bad.yml");
        Files.writeString(f, "a: 1\nb: [\n");
        MoatException e = assertThrows(MoatException.class, () -> ExtraVars.parse(List.of("@" + f)));
        assertEquals(ExitCode.INVALID, e.exitCode());
        assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
    }
}
