package dev.moat.journal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** Snapshots and restores real files with the local sh, as they would run on a host. */
class JournalTest {
    @TempDir Path tmp;

    private String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0) throw new AssertionError("exit " + rc + ": " + out);
        return out;
    }

    private int shRc(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private Journal journal() throws Exception {
        Journal j = new Journal(tmp.resolve("journal").toString());
        sh(j.open("r1"));
        return j;
    }

    @Test
    void aFileComesBackByteForByteWithItsMode() throws Exception {
        Journal j = journal();
        Path f = tmp.resolve("etc/motd");
        Files.createDirectories(f.getParent());
        byte[] original = {'h', 'i', 0, (byte) 0xff, '\n'};
        Files.write(f, original);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Undo u = new Undo.RestorePath(f.toString());
        sh(j.snapshot("r1", 1, u));
        Files.writeString(f, "changed");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxrwxrwx"));
        sh(j.restore("r1", 1, u));
        assertArrayEquals(original, Files.readAllBytes(f));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void completedListsOnlySnapshotsTakenWhole() throws Exception {
        Journal j = journal();
        Path f = tmp.resolve("etc/a");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "a");
        sh(j.snapshot("r1", 1, new Undo.RestorePath(f.toString())));
        sh(j.snapshot("r1", 2, new Undo.Irreversible("command: true")));
        // a snapshot the run was killed in the middle of: its directory, no done marker
        Files.createDirectories(tmp.resolve("journal/r1/3"));
        Files.writeString(tmp.resolve("journal/r1/3/kind"), "path\n");
        assertEquals(java.util.Set.of("1", "2"), java.util.Set.of(sh(j.completed("r1")).strip().split("\n")));
    }

    @Test
    void aPathThatDidNotExistIsRemovedWithTheParentsTheChangeCreated() throws Exception {
        Journal j = journal();
        Path f = tmp.resolve("opt/new/deep/file");
        Undo u = new Undo.RestorePath(f.toString());
        sh(j.snapshot("r1", 2, u));
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        sh(j.restore("r1", 2, u));
        assertFalse(Files.exists(tmp.resolve("opt")), "the created parents are gone too");
        assertTrue(Files.exists(tmp), "but not the ancestor that existed");
    }

    @Test
    void aTreeComesBackWholeAndExtraFilesGo() throws Exception {
        Journal j = journal();
        Path d = tmp.resolve("srv/site");
        Files.createDirectories(d.resolve("sub"));
        Files.writeString(d.resolve("a"), "a");
        Files.writeString(d.resolve("sub/b"), "b");
        Files.createSymbolicLink(d.resolve("link"), Path.of("a"));
        Undo u = new Undo.RestorePath(d.toString());
        sh(j.snapshot("r1", 3, u));
        Files.delete(d.resolve("sub/b"));
        Files.writeString(d.resolve("extra"), "e");
        Files.delete(d.resolve("link"));
        sh(j.restore("r1", 3, u));
        assertEquals("b", Files.readString(d.resolve("sub/b")));
        assertFalse(Files.exists(d.resolve("extra")));
        assertEquals(Path.of("a"), Files.readSymbolicLink(d.resolve("link")));
    }

    @Test
    void irreversibleEntriesRefuseToRestore() throws Exception {
        Journal j = journal();
        Undo u = new Undo.Irreversible("ran: apt-get upgrade");
        sh(j.snapshot("r1", 4, u));
        assertEquals(Journal.IRREVERSIBLE, shRc(j.restore("r1", 4, u)));
    }

    @Test
    void aMissingEntryIsAnErrorNotASilentSuccess() throws Exception {
        Journal j = journal();
        assertNotEquals(0, shRc(j.restore("r1", 99, new Undo.RestorePath(tmp.resolve("x").toString()))));
    }

    @Test
    void onlyTheNewestRunsAreKept() throws Exception {
        Journal j = new Journal(tmp.resolve("journal").toString());
        for (int i = 10; i < 25; i++) sh(j.open("2026-" + i));
        try (var s = Files.list(tmp.resolve("journal"))) {
            assertEquals(Journal.KEEP, s.count());
        }
        assertTrue(Files.exists(tmp.resolve("journal/2026-24")));
        assertFalse(Files.exists(tmp.resolve("journal/2026-10")));
    }

    @Test
    void changesAfterTheRunAreDetectedBeforeARollback() throws Exception {
        Journal j = journal();
        Path f = tmp.resolve("conf");
        Files.writeString(f, "before");
        Undo u = new Undo.RestorePath(f.toString());
        sh(j.snapshot("r1", 5, u));
        Files.writeString(f, "after the run");
        sh(j.seal("r1", 5, u));
        assertEquals(0, shRc(j.changedSince("r1", 5, u)), "untouched since the run");
        Files.writeString(f, "edited by hand later");
        assertEquals(Journal.CHANGED_SINCE, shRc(j.changedSince("r1", 5, u)));
        Files.delete(f);
        assertEquals(Journal.CHANGED_SINCE, shRc(j.changedSince("r1", 5, u)), "removal counts as a change");
    }

    @Test
    void aSnapshotSummarizesWhatItSavedForTheRunRecord() throws Exception {
        Journal j = journal();
        Path f = tmp.resolve("secret.env");
        Files.writeString(f, "TOKEN=abc\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        String out = sh(j.snapshot("r1", 6, new Undo.RestorePath(f.toString())));
        assertTrue(out.matches("@@journal " + java.util.regex.Pattern.quote(f.toString()) + " present 600 \\S+:\\S+ [0-9a-f]{64}\n"), out);
        assertFalse(out.contains("TOKEN"), "a summary, never contents");
        String absent = sh(j.snapshot("r1", 7, new Undo.RestorePath(tmp.resolve("nope").toString())));
        assertEquals("@@journal " + tmp.resolve("nope") + " absent\n", absent);
    }
}
