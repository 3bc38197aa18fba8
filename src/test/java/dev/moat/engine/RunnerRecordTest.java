package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;

/** What the run record hears from the engine: each journal entry before it is taken, each host as it ends. */
class RunnerRecordTest {
    @TempDir Path tmp;

    @Test
    void journalEntriesAreAnnouncedBeforeTheirSnapshotAndHostsAsTheyFinish() throws Exception {
        String play = """
                - hosts: all
                  tasks:
                    - copy: {dest: "TMP/{{ inventory_hostname }}-a", content: "1"}
                    - copy: {dest: "TMP/{{ inventory_hostname }}-b", content: "2"}
                """;
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(play, "h1", "h2"), r.results::toString);
        assertEquals(4, r.journaling.size(), r.journaling::toString);
        assertTrue(r.journaling.stream().allMatch(s -> s.endsWith(" ahead")), r.journaling::toString);
        for (String j : r.journaling) {
            String[] hs = j.split(" ");
            assertTrue(java.nio.file.Files.exists(tmp.resolve("journal-" + hs[0]).resolve(r.runId).resolve(hs[1])),
                    "and then taken: " + j);
        }
        assertEquals(List.of("h1 2", "h2 2"), r.hostsDone.stream().sorted().toList());
    }

    @Test
    void aCheckRunJournalsNothing() throws Exception {
        LocalRun r = new LocalRun(tmp);
        r.options = new RunOptions(true, true, 10, null, null, null, false);
        assertEquals(ExitCode.DRIFT, r.run("- hosts: all\n  tasks:\n    - copy: {dest: TMP/x, content: y}\n", "h1"));
        assertTrue(r.journaling.isEmpty());
        assertEquals(List.of("h1 0"), r.hostsDone);
    }
}
