package dev.moat.runs;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.moat.MoatException;

/**
 * A run record drives root commands on hosts when it is rolled back: what is read from one is
 * checked first, and records are private to their user.
 */
class RecordSafetyTest {
    @TempDir Path tmp;

    private Path write(String name, String json) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    @Test
    void aRunIdNeverTraversesPaths() throws Exception {
        MoatException e = assertThrows(MoatException.class, () -> RecordedRun.find(tmp, "../../etc/passwd"));
        assertEquals(64, e.exitCode());
        assertTrue(e.getMessage().contains("is not a run id"), e.getMessage());
        Map<String, Object> r = RunRecords.finished("20260101T000000-aaaa", List.of("h1"), Map.of(), Map.of());
        r.put("id", "../../../tmp/x");
        Path f = write("20260101T000000-aaaa.json", ResultJson.MAPPER.writeValueAsString(r));
        e = assertThrows(MoatException.class, () -> RecordedRun.read(f));
        assertEquals(65, e.exitCode());
        assertTrue(e.getMessage().contains("is not a run id naming this file"), e.getMessage());
    }

    @Test
    void aMalformedOrOlderRecordIsExit65NamingIt() throws Exception {
        Path broken = write("20260101T000000-aaaa.json", "{\"id\": \"20260101T000000-aaaa\", \"journal\": [");
        MoatException e = assertThrows(MoatException.class, () -> RecordedRun.read(broken));
        assertEquals(65, e.exitCode());
        assertTrue(e.getMessage().startsWith(broken + ": not a run record"), e.getMessage());
        Path old = write("20260101T000000-bbbb.json", "{\"id\": \"20260101T000000-bbbb\", \"journal\": {}}");
        e = assertThrows(MoatException.class, () -> RecordedRun.read(old));
        assertEquals(65, e.exitCode());
        assertTrue(e.getMessage().contains("a run record of format 1 (from an older moat)"), e.getMessage());
        Path array = write("20260101T000000-cccc.json", "[1, 2]");
        assertEquals(65, assertThrows(MoatException.class, () -> RecordedRun.read(array)).exitCode());
    }

    @Test
    void undoEntriesNameOnlyPathsAndNamesNeverShell() throws Exception {
        JsonNode bad = ResultJson.MAPPER.readTree("{\"kind\": \"RestoreService\", \"service\": \"--now; rm -rf /\", \"running\": true}");
        assertEquals(65, assertThrows(MoatException.class, () -> UndoJson.parse(bad)).exitCode());
        JsonNode relative = ResultJson.MAPPER.readTree("{\"kind\": \"RestorePath\", \"path\": \"etc/passwd\"}");
        assertEquals(65, assertThrows(MoatException.class, () -> UndoJson.parse(relative)).exitCode());
        JsonNode pkg = ResultJson.MAPPER.readTree("{\"kind\": \"RemovePackages\", \"packages\": [\"nginx\", \"-y\"]}");
        assertEquals(65, assertThrows(MoatException.class, () -> UndoJson.parse(pkg)).exitCode());
        JsonNode ok = ResultJson.MAPPER.readTree("{\"kind\": \"RemovePackages\", \"packages\": [\"nginx\", \"libc6:amd64\"]}");
        assertDoesNotThrow(() -> UndoJson.parse(ok));
    }

    @Test
    void aContainerUndoNamesAContainerAnIdAndMoatsOwnDirectoryOnly() throws Exception {
        String id = "4f8e2c1d9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d";
        dev.moat.journal.Undo u = new dev.moat.journal.Undo.RecreateContainer("vllm", id, dev.moat.journal.ContainerControl.saved(id));
        JsonNode written = ResultJson.MAPPER.readTree(ResultJson.line(ResultJson.undo(u, x -> x)));
        assertEquals(u, UndoJson.parse(written), "read back as written");
        for (String[] bad : new String[][] {{"--rm", id, "/var/lib/moat/containers/" + id}, {"vllm", "abc", "/var/lib/moat/containers/abc"},
                {"vllm", id, "/etc"}, {"vllm", id, "/var/lib/moat/containers/" + id + "/../../../etc"}, {"vllm", id, "var/lib/moat/containers/" + id}}) {
            JsonNode n = ResultJson.MAPPER.readTree("{\"kind\": \"RecreateContainer\", \"container\": \"" + bad[0] + "\", \"id\": \"" + bad[1]
                    + "\", \"saved\": \"" + bad[2] + "\"}");
            assertEquals(65, assertThrows(MoatException.class, () -> UndoJson.parse(n)).exitCode(), String.join(" ", bad));
        }
    }

    @Test
    void recordsAreWrittenPrivately() throws Exception {
        Path home = tmp.resolve("home/.moat/runs");
        PrivateFiles.write(home.resolve("20260101T000000-aaaa.json"), "{}".getBytes());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("20260101T000000-aaaa.json"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("home/.moat"))));
        assertEquals(List.of("20260101T000000-aaaa.json"), Files.list(home).map(p -> p.getFileName().toString()).toList(), "no temp file left");
    }
}
