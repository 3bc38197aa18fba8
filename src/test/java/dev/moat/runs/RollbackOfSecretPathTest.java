package dev.moat.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import dev.moat.engine.LocalRun;
import dev.moat.journal.Journal;
import dev.moat.journal.Restorer;
import dev.moat.journal.Undo;
import dev.moat.transport.ControllerShell;
import dev.moat.transport.ExecResult;

/**
 * A file whose path was made from a secret (a home named from a vaulted user list) is recorded
 * with the path masked, and never printed or stored on the controller; {@code moat rollback} still
 * restores it, taking the real path from the host's journal entry (which keeps it, root-only, beside
 * the file it names anyway), and every message it prints names the masked path only.
 */
class RollbackOfSecretPathTest {
    private static final String SECRET = "alice-from-the-vault";

    @TempDir
    Path tmp;

    /** Runs the play on the simulated host h1 and returns the record moat wrote. */
    private JsonNode applied(Path runs) throws Exception {
        Files.writeString(tmp.resolve("secret.txt"), SECRET + "\n");
        Files.createDirectories(tmp.resolve(SECRET));
        Files.writeString(tmp.resolve(SECRET + "/notes"), "old\n");
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
                    - name: an existing file in a directory named after a secret
                      copy: {content: "new\\n", dest: "TMP/{{ user }}/notes", mode: "0600"}
                """, "h1");
        recorder.write(run.ledgers);
        Path file;
        try (Stream<Path> files = Files.list(runs)) {
            file = files.findFirst().orElseThrow();
        }
        String record = Files.readString(file);
        assertFalse(record.contains(SECRET), record);
        return ResultJson.MAPPER.readTree(record);
    }

    @Test
    void aPathMadeFromASecretIsMaskedInTheRecordAndRolledBackFromTheHostsJournal() throws Exception {
        JsonNode record = applied(Files.createDirectories(tmp.resolve("runs")));
        assertEquals("hello\n", Files.readString(tmp.resolve(SECRET + ".txt")), "the host gets the real path");
        assertEquals("new\n", Files.readString(tmp.resolve(SECRET + "/notes")));

        // What RecordedRun.pending does for each journal entry when moat rollback reads the record back.
        List<Restorer.Item> items = new java.util.ArrayList<>();
        for (JsonNode e : record.path("journal").path("h1")) {
            Undo u = UndoJson.parse(e.path("undo"));
            Undo.RestoreJournaledPath j = assertInstanceOf(Undo.RestoreJournaledPath.class, u);
            assertTrue(j.shown().contains("********") && !j.shown().contains(SECRET), j.shown());
            items.add(new Restorer.Item(e.path("seq").asInt(), u, e.path("task").asText()));
        }
        assertEquals(2, items.size());
        Journal journal = new Journal(tmp.resolve("journal-h1").toString());
        String runId = record.path("id").asText();

        // Changed since the run: the message names the masked path, and shows no listing (its lines would name the file).
        Files.writeString(tmp.resolve(SECRET + "/notes"), "edited by hand\n");
        ExecResult changed = ControllerShell.run(journal.changedSince(runId, items.get(1).seq(), items.get(1).undo()), new byte[0], java.time.Duration.ofSeconds(30));
        assertEquals(Journal.CHANGED_SINCE, changed.rc(), changed.err());
        assertTrue(changed.err().contains("********") && changed.err().contains("changed since the run"), changed.err());
        assertFalse(changed.err().contains(SECRET), changed.err());

        Restorer.Outcome done = new Restorer(journal, runId).restore(c -> ControllerShell.run(c.script(), c.stdin(), c.timeout()), items);
        assertTrue(done.ok(), done.problems().toString());
        assertEquals(2, done.restored());
        assertFalse(Files.exists(tmp.resolve(SECRET + ".txt")), "the file the run made is gone");
        assertEquals("old\n", Files.readString(tmp.resolve(SECRET + "/notes")), "the file the run changed is back");
    }

    @Test
    void anEntryWhoseJournalKeepsNoPathIsRefusedNamingTheMaskOnly() throws Exception {
        JsonNode record = applied(Files.createDirectories(tmp.resolve("runs")));
        JsonNode e = record.path("journal").path("h1").get(0);
        Journal journal = new Journal(tmp.resolve("journal-h1").toString());
        String runId = record.path("id").asText();
        // As a journal taken by a moat that kept no paths.
        Files.delete(Path.of(journal.runDir(runId), e.path("seq").asText(), "path"));
        Restorer.Outcome done = new Restorer(journal, runId).restore(c -> ControllerShell.run(c.script(), c.stdin(), c.timeout()),
                List.of(new Restorer.Item(e.path("seq").asInt(), UndoJson.parse(e.path("undo")), e.path("task").asText())));
        assertFalse(done.ok());
        String problem = done.problems().get(0);
        assertTrue(problem.contains("does not keep its path (taken by an older moat): restore it by hand"), problem);
        assertTrue(problem.contains("********") && !problem.contains(SECRET), problem);
        assertTrue(Files.exists(tmp.resolve(SECRET + ".txt")), "nothing touched");
    }

    @Test
    void otherMaskedFieldsAreStillRefused() {
        com.fasterxml.jackson.databind.node.ObjectNode u = ResultJson.MAPPER.createObjectNode();
        u.put("kind", "Unmount").put("path", "/mnt/********").put("remove_dir", true);
        MoatException e = assertThrows(MoatException.class, () -> UndoJson.parse(u));
        assertEquals(ExitCode.INVALID, e.exitCode());
        assertTrue(e.getMessage().contains("held a secret, masked as '/mnt/********'"), e.getMessage());
    }
}
