package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptDumpTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheLineAndTheStdinBytesPerHostInOrder() throws Exception {
        ScriptDump d = new ScriptDump(tmp);
        byte[] payload = Sudo.payload("echo hi\n", new byte[0]);
        d.record("h1", Sudo.plain(600), payload, false);
        d.record("h1", "sh -c x", "2\nid".getBytes(StandardCharsets.UTF_8), false);
        d.record("h2", "sh -c y", payload, false);
        assertEquals(Sudo.plain(600), Files.readString(tmp.resolve("h1/001.line")));
        assertArrayEquals("8\necho hi\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(tmp.resolve("h1/001.in")));
        assertEquals("sh -c x", Files.readString(tmp.resolve("h1/002.line")));
        assertTrue(Files.exists(tmp.resolve("h2/001.in")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("h1/001.in"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("h1"))));
    }

    @Test
    void aWithheldCommandLeavesOnlyAMarker() throws Exception {
        ScriptDump d = new ScriptDump(tmp);
        d.record("h1", "sh -c secret", "3\nabc".getBytes(StandardCharsets.UTF_8), true);
        assertTrue(Files.exists(tmp.resolve("h1/001.withheld")));
        assertFalse(Files.exists(tmp.resolve("h1/001.line")));
        assertFalse(Files.exists(tmp.resolve("h1/001.in")));
    }

    @Test
    void unsetWritesNothing() {
        ScriptDump.NONE.record("h1", "sh -c x", new byte[0], false);
        assertFalse(Files.exists(tmp.resolve("h1")));
    }
}
