package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.moat.runs.ResultJson;
import dev.moat.runs.RunRecords;

/** {@code moat runs} in-process over fabricated records: the table, --json, statuses and the rolled-back count. */
class RunsCommandTest {
    @TempDir Path home;

    @BeforeEach
    void records() throws Exception {
        RunRecords.useHome(home);
        RunRecords.write(home, RunRecords.finished("20260101T000000-aaaa", List.of("h1", "h2", "h3"),
                Map.of("h1", RunRecords.recap(2, 0, 0, null), "h2", RunRecords.recap(0, 1, 0, "rolled back"),
                        "h3", RunRecords.recap(0, 0, 1, null)),
                Map.of("h1", List.of(RunRecords.entry(1, "/etc/a", true), RunRecords.entry(2, "/etc/b", true)),
                        "h2", List.of(RunRecords.entry(3, "/etc/a", true)))));
        RunRecords.write(home, RunRecords.killed("20260102T000000-bbbb", List.of("h1", "h2"),
                Map.of("h1", List.of(RunRecords.entry(1, "/etc/a", false)))));
    }

    @AfterEach
    void clear() {
        RunRecords.clearHome();
    }

    private String run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err::toString);
        return out.toString();
    }

    @Test
    void theTableShowsStatusRolledBackHostsAndNoExitForAKilledRun() {
        List<String> lines = run("runs").lines().toList();
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches("RUN +STARTED +MODE +STATUS +PLAYBOOK +HOSTS +CHANGED +FAILED +UNREACH +ROLLEDBK +EXIT"),
                lines.get(0));
        // newest first: the killed run, changed on h1 by its journal (no recap), no exit code
        assertTrue(lines.get(1).matches("20260102T000000-bbbb +2026-01-02T03:04:05 +apply +killed +playbooks/site.yml +2 +1 +0 +0 +0 +-"),
                lines.get(1));
        assertTrue(lines.get(2).matches("20260101T000000-aaaa +2026-01-02T03:04:05 +apply +finished +playbooks/site.yml +3 +2 +1 +1 +2 +0"),
                lines.get(2));
    }

    @Test
    void jsonIsOneObjectPerRun() throws Exception {
        List<String> lines = run("runs", "--json").lines().toList();
        assertEquals(2, lines.size());
        JsonNode killed = ResultJson.MAPPER.readTree(lines.get(0));
        assertEquals("20260102T000000-bbbb", killed.path("id").asText());
        assertEquals("killed", killed.path("status").asText());
        assertTrue(killed.path("exit").isNull());
        JsonNode done = ResultJson.MAPPER.readTree(lines.get(1));
        assertEquals("finished", done.path("status").asText());
        assertEquals(3, done.path("hosts").asInt());
        assertEquals(2, done.path("changed_hosts").asInt());
        assertEquals(1, done.path("failed_hosts").asInt());
        assertEquals(1, done.path("unreachable_hosts").asInt());
        assertEquals(2, done.path("rolled_back_hosts").asInt());
        assertEquals(0, done.path("exit").asInt());
    }

    @Test
    void aRunStillRunningShowsAsRunningAndNIsHonoured() throws Exception {
        RunRecords.write(home, RunRecords.running("20260103T000000-cccc", List.of("h1"), Map.of()));
        List<String> lines = run("runs", "-n", "1").lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains(" running "), lines.get(1));
    }

    @Test
    void noRecordsIsJustTheHeader() {
        RunRecords.useHome(home.resolve("empty"));
        assertEquals(1, run("runs").lines().count());
    }
}
