package dev.moat.runs;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.MoatException;
import dev.moat.journal.Restorer;
import dev.moat.journal.Undo;

/**
 * Which run {@code moat rollback} picks (a killed run is eligible, a live one never; a check run
 * when it journaled real changes), what it has left to restore, and how it marks what it settled.
 */
class RecordedRunTest {
    @TempDir Path home;

    private Path runs() {
        return home.resolve("runs");
    }

    private Path find(String run) throws Exception {
        return RecordedRun.find(runs(), run).file();
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
    void lastSkipsRunsStillRunningAndRunsFullyRestored() throws Exception {
        Path older = RunRecords.write(home, RunRecords.finished("20260101T000000-aaaa", List.of("h1"), Map.of(), journal(false)));
        RunRecords.write(home, RunRecords.finished("20260102T000000-bbbb", List.of("h1"), Map.of(), journal(true)));
        RunRecords.write(home, RunRecords.running("20260104T000000-dddd", List.of("h1"), journal(false)));
        assertEquals(older, find("last"));
    }

    @Test
    void lastPicksACheckRunThatJournaledARealChangeAndSkipsOneThatChangedNothing() throws Exception {
        RunRecords.write(home, RunRecords.finished("20260101T000000-aaaa", List.of("h1"), Map.of(), journal(false)));
        Map<String, Object> changing = RunRecords.finished("20260102T000000-bbbb", List.of("h1"), Map.of(), journal(false));
        changing.put("check", true);
        Path checkMode = RunRecords.write(home, changing);
        Map<String, Object> idle = RunRecords.finished("20260103T000000-cccc", List.of("h1"), Map.of(), Map.of());
        idle.put("check", true);
        RunRecords.write(home, idle);
        assertEquals(checkMode, find("last"), "a check_mode: false task in a check run made a change 'last' must undo");
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
        RunRecords.write(home, RunRecords.finished("20260102T000000-bbbb", List.of("h1"), Map.of(), Map.of("h1", List.of(command(1)))));
        assertEquals(older, find("last"), "a rerun whose only journal entry is a changed_when: false command is not 'last'");
    }

    @Test
    void nothingToRollBackIsAUsageError() {
        assertThrows(MoatException.class, () -> find("last"));
    }

    @Test
    void pendingEntriesComeInRestoreOrderPerHostLeavingRestoredOnesAndOtherHostsOut() throws Exception {
        Map<String, Object> reload = new LinkedHashMap<>(RunRecords.entry(2, "/etc/nginx", false));
        reload.put("undo", Map.of("kind", "Reload", "service", "nginx", "script", "nginx -s reload"));
        Path f = RunRecords.write(home, RunRecords.finished("20260101T000000-aaaa", List.of("h1", "h2", "h3"), Map.of(), Map.of(
                "h1", List.of(RunRecords.entry(1, "/etc/a", false), reload, RunRecords.entry(3, "/etc/b", false),
                        RunRecords.entry(4, "/etc/c", true)),
                "h2", List.of(RunRecords.entry(1, "/etc/a", false)),
                "h3", List.of(RunRecords.entry(1, "/etc/a", true)))));
        Map<String, List<Restorer.Item>> todo = RecordedRun.read(f).pending(h -> !h.equals("h2"));
        assertEquals(Set.of("h1"), todo.keySet(), "h2 is limited out, h3 has nothing left");
        assertEquals(List.of(3, 1, 2), todo.get("h1").stream().map(Restorer.Item::seq).toList(), "newest first, the reload last");
        assertEquals(new Undo.Reload("nginx"), todo.get("h1").get(2).undo());
        assertEquals("write /etc/b", todo.get("h1").get(0).task());
    }

    @Test
    void settledEntriesAreMarkedRestoredAndTheRollbackTimeRecorded() throws Exception {
        Path f = RunRecords.write(home, RunRecords.finished("20260101T000000-aaaa", List.of("h1", "h2"), Map.of(), Map.of(
                "h1", List.of(RunRecords.entry(1, "/etc/a", false), RunRecords.entry(2, "/etc/b", false)),
                "h2", List.of(RunRecords.entry(1, "/etc/a", false)))));
        RecordedRun.read(f).markRestored(Map.of("h1", Set.of(2)));
        JsonNode after = ResultJson.MAPPER.readTree(f.toFile());
        assertFalse(after.path("journal").path("h1").get(0).path("restored").asBoolean());
        assertTrue(after.path("journal").path("h1").get(1).path("restored").asBoolean());
        assertFalse(after.path("journal").path("h2").get(0).path("restored").asBoolean());
        assertTrue(after.hasNonNull("rolled_back"));
    }

    @Test
    void onlyEntriesWhoseSnapshotWasTakenWholeAreRestored() {
        Restorer.Item a = new Restorer.Item(3, new Undo.RestorePath("/etc/c"), "c");
        Restorer.Item b = new Restorer.Item(2, new Undo.RestorePath("/etc/b"), "b");
        Restorer.Item c = new Restorer.Item(1, new Undo.RestorePath("/etc/a"), "a");
        assertEquals(List.of(b, c), HostRollback.taken(List.of(a, b, c), Set.of(1, 2)));
        assertEquals(List.of(), HostRollback.taken(List.of(a, b, c), Set.of()));
    }

    static Map<String, Object> command(int seq) {
        Map<String, Object> m = new LinkedHashMap<>(RunRecords.entry(seq, "/etc/a", false));
        m.put("undo", Map.of("kind", "Irreversible", "what", "shell: ss -Htlnp"));
        return m;
    }
}
