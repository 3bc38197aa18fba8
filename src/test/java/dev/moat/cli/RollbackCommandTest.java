package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.MoatException;
import dev.moat.journal.Undo;

/** Which run {@code moat rollback} picks: a killed run is eligible, a live one never; check runs never. */
class RollbackCommandTest {
    @TempDir Path home;

    @BeforeEach
    void setHome() {
        RunRecords.useHome(home);
    }

    @AfterEach
    void clear() {
        RunRecords.clearHome();
    }

    private Path find(String run) throws Exception {
        RollbackCommand c = new RollbackCommand();
        c.run = run;
        return c.find();
    }

    private static Map<String, Object> journal(boolean restored) {
        return Map.of("h1", List.of(RunRecords.entry(1, "/etc/a", restored)));
    }

    @Test
    void lastPicksAKilledRunOverAnOlderFinishedOne() throws Exception {
        RunRecords.write(home, RunRecords.finished("20260101T000000-aaaa", List.of("h1"), Map.of(), journal(false)));
        Path killed = RunRecords.write(home, RunRecords.killed("20260102T000000-bbbb", List.of("h1"), journal(false)));
        assertEquals(killed, find("last"));
    }

    @Test
    void lastSkipsRunsStillRunningCheckRunsAndRunsFullyRestored() throws Exception {
        Path older = RunRecords.write(home, RunRecords.finished("20260101T000000-aaaa", List.of("h1"), Map.of(), journal(false)));
        RunRecords.write(home, RunRecords.finished("20260102T000000-bbbb", List.of("h1"), Map.of(), journal(true)));
        Map<String, Object> check = RunRecords.killed("20260103T000000-cccc", List.of("h1"), journal(false));
        check.put("check", true);
        RunRecords.write(home, check);
        RunRecords.write(home, RunRecords.running("20260104T000000-dddd", List.of("h1"), journal(false)));
        assertEquals(older, find("last"));
    }

    @Test
    void aRunStillRunningIsRefusedByIdAndAKilledOneIsFound() throws Exception {
        RunRecords.write(home, RunRecords.running("20260104T000000-dddd", List.of("h1"), journal(false)));
        MoatException e = assertThrows(MoatException.class, () -> find("20260104T000000-dddd"));
        assertTrue(e.getMessage().contains("still running"), e.getMessage());
        Path killed = RunRecords.write(home, RunRecords.killed("20260102T000000-bbbb", List.of("h1"), journal(false)));
        assertEquals(killed, find("20260102T000000-bbbb"));
    }

    @Test
    void lastSkipsARunThatOnlyRanCommands() throws Exception {
        Path older = RunRecords.write(home, RunRecords.finished("20260101T000000-aaaa", List.of("h1"), Map.of(), journal(false)));
        Map<String, Object> read = new java.util.LinkedHashMap<>(RunRecords.entry(1, "/etc/a", false));
        read.put("undo", Map.of("kind", "Irreversible", "what", "shell: ss -Htlnp"));
        RunRecords.write(home, RunRecords.finished("20260102T000000-bbbb", List.of("h1"), Map.of(), Map.of("h1", List.of(read))));
        assertEquals(older, find("last"), "a rerun whose only journal entry is a changed_when: false command is not 'last'");
    }

    @Test
    void nothingToRollBackIsAUsageError() {
        assertThrows(MoatException.class, () -> find("last"));
    }

    @Test
    void onlyEntriesWhoseSnapshotWasTakenWholeAreRestored() {
        RollbackCommand.Entry a = new RollbackCommand.Entry(3, new Undo.RestorePath("/etc/c"), "c", false);
        RollbackCommand.Entry b = new RollbackCommand.Entry(2, new Undo.RestorePath("/etc/b"), "b", false);
        RollbackCommand.Entry c = new RollbackCommand.Entry(1, new Undo.RestorePath("/etc/a"), "a", false);
        assertEquals(List.of(b, c), RollbackCommand.taken(List.of(a, b, c), Set.of(1, 2)));
        assertEquals(List.of(), RollbackCommand.taken(List.of(a, b, c), Set.of()));
    }
}
