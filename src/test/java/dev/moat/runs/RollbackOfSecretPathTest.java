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

/**
 * What {@code moat rollback} reads back and prints never holds a secret: a file whose path was made
 * from a secret (a home named from a vaulted user list) is recorded with the path masked, and
 * reading the record for a rollback refuses that entry with exit 65, naming only the masked path.
 */
class RollbackOfSecretPathTest {
    private static final String SECRET = "alice-from-the-vault";

    @TempDir
    Path tmp;

    @Test
    void aPathMadeFromASecretIsMaskedInTheRecordAndTheRollbackMessage() throws Exception {
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
        assertEquals("hello\n", Files.readString(tmp.resolve(SECRET + ".txt")), "the host gets the real path");
        Path file;
        try (var files = Files.list(runs)) {
            file = files.findFirst().orElseThrow();
        }
        String record = Files.readString(file);
        assertFalse(record.contains(SECRET), record);
        // What RecordedRun.pending does for each journal entry when moat rollback reads the record back.
        com.fasterxml.jackson.databind.JsonNode entry = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record)
                .path("journal").path("h1").get(0);
        MoatException e = assertThrows(MoatException.class, () -> UndoJson.parse(entry.path("undo")));
        assertEquals(ExitCode.INVALID, e.exitCode());
        assertTrue(e.getMessage().contains("held a secret, masked as '********'"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }
}
