package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.journal.Journal;
import dev.moat.journal.Undo;
import dev.moat.runs.ResultJson;
import dev.moat.runs.RunRecords;
import dev.moat.runs.RunSummary;

/**
 * {@code moat rollback} of a killed run, in-process against a loopback sshd: the journal taken
 * before the kill is restored although it was never sealed; an entry written ahead in the record
 * whose snapshot never completed on the host is skipped. Uses the real journal directory under a
 * run id of its own, removed afterwards.
 */
class RollbackKilledRunTest {
    @TempDir Path tmp;
    // A valid run id that sorts after every real one in the machine's journal directory.
    final String runId = String.format("29991231T235959-%04x", new java.util.Random().nextInt(0x10000));

    @AfterEach
    void clean() throws Exception {
        RunRecords.clearHome();
        new ProcessBuilder("rm", "-rf", "--", new Journal(Journal.DEFAULT_DIR).runDir(runId)).start().waitFor();
    }

    private static void sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void aKilledRunIsRolledBackFromWhatItsHostJournaled() throws Exception {
        assumeTrue(LoopbackSshd.available(), "needs root, /usr/sbin/sshd and ssh-keygen");
        Path motd = tmp.resolve("motd"), other = tmp.resolve("other");
        Files.writeString(motd, "original\n");
        Files.writeString(other, "left alone\n");
        Journal journal = new Journal(Journal.DEFAULT_DIR);
        sh(journal.snapshot(runId, 1, new Undo.RestorePath(motd.toString())));
        Files.writeString(motd, "changed by the killed run\n");
        // seq 2 was written ahead in the record, then the run died while taking its snapshot
        Files.createDirectories(Path.of(journal.runDir(runId), "2"));
        Files.writeString(other, "edited by hand later\n");

        Path home = tmp.resolve("home");
        RunRecords.useHome(home);
        Path record = RunRecords.write(home, RunRecords.killed(runId, List.of("h1"),
                Map.of("h1", List.of(RunRecords.entry(1, motd.toString(), false), RunRecords.entry(2, other.toString(), false)))));

        try (LoopbackSshd sshd = new LoopbackSshd(Files.createDirectory(tmp.resolve("sshd")))) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = Main.execute(new String[] {"rollback", "last", "-i", sshd.inventory.toString(),
                    "--known-hosts", sshd.knownHosts.toString()}, new PrintWriter(out), new PrintWriter(err));
            assertEquals(0, code, out + "\n" + err);
            assertTrue(out.toString().contains("ROLLBACK run " + runId), out.toString());
            assertTrue(out.toString().contains("was killed before it ended"), out.toString());
            assertTrue(out.toString().contains("rolled back: [h1] restored 1 change(s)"), out.toString());
        }
        assertEquals("original\n", Files.readString(motd));
        assertEquals("edited by hand later\n", Files.readString(other), "the never-taken entry is not restored");
        JsonNode after = ResultJson.MAPPER.readTree(record.toFile());
        for (JsonNode e : after.path("journal").path("h1")) assertTrue(e.path("restored").asBoolean(), e.toString());
        assertEquals(1, RunSummary.of(after).rolledBack());
    }

    @Test
    void aKilledRunWhoseJournalIsGoneFromTheHostFailsAndIsNotCalledUntouched() throws Exception {
        assumeTrue(LoopbackSshd.available(), "needs root, /usr/sbin/sshd and ssh-keygen");
        Path home = tmp.resolve("home");
        RunRecords.useHome(home);
        Path record = RunRecords.write(home, RunRecords.killed(runId, List.of("h1"),
                Map.of("h1", List.of(RunRecords.entry(1, tmp.resolve("motd").toString(), false)))));
        try (LoopbackSshd sshd = new LoopbackSshd(Files.createDirectory(tmp.resolve("sshd")))) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = Main.execute(new String[] {"rollback", "last", "-i", sshd.inventory.toString(),
                    "--known-hosts", sshd.knownHosts.toString()}, new PrintWriter(out), new PrintWriter(err));
            assertEquals(1, code, out + "\n" + err);
            assertTrue(out.toString().contains("the host has no journal of run " + runId), out.toString());
            assertFalse(out.toString().contains("was killed before it changed this host"), out.toString());
        }
        for (JsonNode e : ResultJson.MAPPER.readTree(record.toFile()).path("journal").path("h1")) {
            assertFalse(e.path("restored").asBoolean(), "nothing is marked restored: " + e);
        }
    }
}
