package dev.moat.runs;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.engine.HostRecap;
import dev.moat.journal.Ledger;
import dev.moat.journal.Undo;

/** The run record exists from the start and names each journal entry before it is taken, so a killed run leaves one. */
class RunRecorderTest {
    @TempDir Path dir;

    private JsonNode read(String id) throws Exception {
        return ResultJson.MAPPER.readTree(dir.resolve(id + ".json").toFile());
    }

    @Test
    void theRecordIsWrittenAtStartAheadOfEachJournalEntryAndAtTheEnd() throws Exception {
        RunRecorder rec = new RunRecorder(dir, "apply", s -> s.replace("hunter2", "********"));
        rec.runStart("r1", "site.yml", List.of("h1", "h2"), false);
        JsonNode start = read("r1");
        assertEquals("running", start.path("status").asText());
        assertEquals(ProcessHandle.current().pid(), start.path("pid").asLong());
        assertEquals(List.of("h1", "h2"), List.of(start.path("hosts").get(0).asText(), start.path("hosts").get(1).asText()));
        assertEquals(RunStatus.RUNNING, RunStatus.of(start), "this process wrote it and still runs");

        Ledger.Entry e = new Ledger.Entry(1, new Undo.RestorePath("/etc/motd"), "write hunter2", "1:3", -1, false);
        rec.journaling("h1", List.of(e));
        JsonNode ahead = read("r1");
        assertEquals("/etc/motd", ahead.path("journal").path("h1").get(0).path("undo").path("path").asText());
        assertEquals("write ********", ahead.path("journal").path("h1").get(0).path("task").asText(), "masked");
        assertFalse(Files.exists(dir.resolve("r1.json.tmp")), "written through a temp file and renamed");

        Ledger ledger = new Ledger(new AtomicInteger());
        ledger.add(e);
        ledger.summarize(1, "present 644 root:root abc");
        rec.hostDone("h1", new HostRecap("h1", 1, 1, 0, 0, 0, 0, null), ledger);
        JsonNode h1Done = read("r1");
        assertEquals(1, h1Done.path("recap").path("h1").path("changed").asInt());
        assertEquals("present 644 root:root abc", h1Done.path("journal").path("h1").get(0).path("before").asText());

        rec.runEnd("r1", Map.of("h1", new HostRecap("h1", 1, 1, 0, 0, 0, 0, null), "h2", HostRecap.empty("h2")), 0, 42);
        rec.write(Map.of("h1", ledger));
        JsonNode end = read("r1");
        assertEquals("finished", end.path("status").asText());
        assertEquals(RunStatus.FINISHED, RunStatus.of(end));
        assertEquals(0, end.path("exit").asInt());
        assertTrue(end.path("recap").has("h2"));
        assertEquals(1, end.path("journal").path("h1").size(), "the final journal replaces the written-ahead one");
    }

    @Test
    void aHostThatEndedOkAndUnchangedIsWrittenWithTheNextSaveAndAnEventfulOneAtOnce() throws Exception {
        RunRecorder rec = new RunRecorder(dir, "check", s -> s);
        rec.runStart("r3", "site.yml", List.of("h1", "h2", "h3", "h4"), true);
        rec.hostDone("h1", new HostRecap("h1", 5, 0, 0, 2, 0, 0, null), new Ledger(new AtomicInteger()));
        assertFalse(read("r3").path("recap").has("h1"), "nothing a killed run's reader counts: not written by itself");
        rec.hostDone("h2", new HostRecap("h2", 1, 0, 1, 0, 0, 0, null), null);
        JsonNode failed = read("r3");
        assertEquals(1, failed.path("recap").path("h2").path("failed").asInt(), "a failed host is written at once");
        assertEquals(5, failed.path("recap").path("h1").path("ok").asInt(), "with the quiet host before it");
        rec.hostDone("h3", new HostRecap("h3", 1, 0, 0, 0, 0, 0, "rolled back"), null);
        assertEquals("rolled back", read("r3").path("recap").path("h3").path("note").asText(), "a note is written at once");
        rec.hostDone("h4", new HostRecap("h4", 0, 0, 0, 0, 1, 0, null), null);
        assertEquals(1, read("r3").path("recap").path("h4").path("unreachable").asInt(), "an unreachable host at once");
        Ledger changed = new Ledger(new AtomicInteger());
        changed.add(new Ledger.Entry(1, new Undo.RestorePath("/etc/motd"), "write", "1:3", -1, false));
        rec.hostDone("h5", new HostRecap("h5", 1, 0, 0, 0, 0, 0, null), changed);
        assertEquals(1, read("r3").path("journal").path("h5").size(), "a host with a journal entry at once");
        rec.hostDone("h6", HostRecap.empty("h6"), null);
        rec.runEnd("r3", Map.of("h6", HostRecap.empty("h6")), 0, 7);
        JsonNode end = read("r3");
        assertEquals(List.of("h1", "h2", "h3", "h4", "h5", "h6"), iterable(end.path("recap").fieldNames()));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void aRecordLeftRunningByAGoneProcessIsKilledAndAnInterruptedRunSaysSo() throws Exception {
        RunRecorder rec = new RunRecorder(dir, "apply", s -> s);
        rec.runStart("r2", "site.yml", List.of("h1"), false);
        com.fasterxml.jackson.databind.node.ObjectNode r = (com.fasterxml.jackson.databind.node.ObjectNode) read("r2");
        r.put("pid_started", "1970-01-01T00:00:00Z");
        assertEquals(RunStatus.KILLED, RunStatus.of(r));
        r.put("pid", Long.MAX_VALUE);
        r.remove("pid_started");
        assertEquals(RunStatus.KILLED, RunStatus.of(r), "no such process");

        rec.runEnd("r2", Map.of(), 0, 1);
        rec.interrupted(130);
        rec.write(Map.of());
        assertEquals(RunStatus.INTERRUPTED, RunStatus.of(read("r2")));
        assertEquals(130, read("r2").path("exit").asInt());
    }
}
