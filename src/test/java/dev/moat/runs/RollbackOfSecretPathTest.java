package dev.moat.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import dev.moat.engine.LocalRun;
import dev.moat.journal.Journal;
import dev.moat.journal.Undo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code moat rollback} reads back and prints never holds a secret: a file whose path was made
 * from a secret (a home named from a vaulted user list) is recorded with the path masked; the
 * rollback reads the real path from the host's own journal entry (root-only, beside the saved
 * bytes) and restores it, and refuses an entry whose journal names a path the mask does not match.
 * Found by tests/tools/differential on its synthetic content (homes from a vaulted admin list).
 */
class RollbackOfSecretPathTest {
    private static final String SECRET = "alice-from-the-vault";

    @TempDir
    Path tmp;

    @Test
    void aPathMadeFromASecretIsMaskedInTheRecordAndRestoredFromTheHostsJournal() throws Exception {
        Files.writeString(tmp.resolve("secret.txt"), SECRET + "\n");
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        LocalRun run = new LocalRun(tmp);
        RunRecorder recorder = new RunRecorder(runs, "apply", run.secrets::mask);
        run.listeners.add(recorder);
        run.run("""
                - hosts: all
                  vars:
                    user: "{{ lookup('file', 'secret.txt') }}"
                  tasks:
                    - name: a file named after a secret
                      copy: {content: "hello\\n", dest: "TMP/{{ user }}.txt", mode: "0644"}
                """, "h1");
        recorder.write(run.ledgers);
        Path made = tmp.resolve(SECRET + ".txt");
        assertEquals("hello\n", Files.readString(made), "the host gets the real path");
        Path file;
        try (var files = Files.list(runs)) {
            file = files.findFirst().orElseThrow();
        }
        String record = Files.readString(file);
        assertFalse(record.contains(SECRET), record);
        // What RecordedRun.pending and HostRollback do for the journal entry when moat rollback reads the record back.
        JsonNode root = new ObjectMapper().readTree(record);
        JsonNode entry = root.path("journal").path("h1").get(0);
        Undo undo = UndoJson.parse(entry.path("undo"));
        assertTrue(undo instanceof Undo.RestorePath r && r.path().contains("********") && !r.path().contains(SECRET), undo.toString());
        Journal journal = new Journal(tmp.resolve("journal-h1").toString());
        String runId = root.path("id").asText();
        int seq = entry.path("seq").asInt();
        assertEquals(0, sh(journal.changedSince(runId, seq, undo)).rc(), "nothing changed the file since the run");
        Sh restore = sh(journal.restore(runId, seq, undo));
        assertEquals(0, restore.rc(), restore.out());
        assertFalse(Files.exists(made), "the file the run created is gone again");
        assertFalse(restore.out().contains(SECRET), restore.out());
    }

    @Test
    void aMaskedPathWhoseJournalNamesAnotherPathIsRefused() throws Exception {
        Journal journal = new Journal(tmp.resolve("journal").toString());
        Path other = tmp.resolve("etc/other.txt");
        Files.createDirectories(other.getParent());
        Files.writeString(other, "keep\n");
        assertEquals(0, sh(journal.open("r1")).rc());
        assertEquals(0, sh(journal.snapshot("r1", 1, new Undo.RestorePath(other.toString()))).rc());
        Files.writeString(other, "changed\n");
        Sh r = sh(journal.restore("r1", 1, new Undo.RestorePath(tmp + "/home/********")));
        assertEquals(5, r.rc(), r.out());
        assertTrue(r.out().contains("names another path"), r.out());
        assertEquals("changed\n", Files.readString(other), "nothing restored");
        Files.delete(tmp.resolve("journal/r1/1/path")); // a journal an older moat wrote
        r = sh(journal.restore("r1", 1, new Undo.RestorePath(tmp + "/etc/********.txt")));
        assertEquals(5, r.rc(), r.out());
        assertTrue(r.out().contains("restore it by hand"), r.out());
    }

    @Test
    void theJournalKnowsTheMaskSecretsUse() {
        assertEquals(dev.moat.template.Secrets.MASK, Journal.MASK);
    }

    @Test
    void aMaskedPathIsReadBackButARelativeOneIsNot() {
        ObjectMapper m = new ObjectMapper();
        assertEquals(new Undo.RestorePath("/home/********/.ssh"),
                UndoJson.parse(m.createObjectNode().put("kind", "RestorePath").put("path", "/home/********/.ssh")));
        MoatException e = assertThrows(MoatException.class,
                () -> UndoJson.parse(m.createObjectNode().put("kind", "RestorePath").put("path", "relative/********")));
        assertEquals(ExitCode.INVALID, e.exitCode());
    }

    private record Sh(int rc, String out) {}

    private static Sh sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Sh(p.waitFor(), out);
    }
}
