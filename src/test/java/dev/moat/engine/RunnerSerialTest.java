package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;

/** serial runs a play's hosts batch after batch; max_fail_percentage stops the run after a batch that failed too much. */
class RunnerSerialTest {
    @TempDir Path tmp;

    private static final String PLAY = """
            - hosts: all
              serial: SERIAL
              MAXFAIL
              tasks:
                - command: "false"
                  when: inventory_hostname in failing
                - debug: {msg: "{{ inventory_hostname }} done"}
            """;

    private LocalRun run(String serial, String maxFail, List<String> failing, String... hosts) throws Exception {
        LocalRun r = new LocalRun(tmp);
        r.hostVars = java.util.Map.of("failing", failing);
        r.run(PLAY.replace("SERIAL", serial).replace("MAXFAIL", maxFail == null ? "" : "max_fail_percentage: " + maxFail), hosts);
        return r;
    }

    /** The hosts in the order their first result came in. */
    private static List<String> order(LocalRun r) {
        List<String> seen = new ArrayList<>();
        for (TaskResult t : r.results) if (!seen.contains(t.host())) seen.add(t.host());
        return seen;
    }

    @Test
    void eachBatchEndsBeforeTheNextStarts() throws Exception {
        LocalRun r = run("2", null, List.of(), "h1", "h2", "h3", "h4", "h5");
        List<String> first = new ArrayList<>();
        for (TaskResult t : r.results) {
            if (List.of("h3", "h4", "h5").contains(t.host())) break;
            first.add(t.host());
        }
        assertEquals(4, first.size(), "both tasks of h1 and h2 come before any of h3..h5: " + r.results);
        assertTrue(first.containsAll(List.of("h1", "h2")));
        int lastOfSecond = -1, firstOfThird = Integer.MAX_VALUE;
        for (int i = 0; i < r.results.size(); i++) {
            String h = r.results.get(i).host();
            if (h.equals("h3") || h.equals("h4")) lastOfSecond = i;
            if (h.equals("h5")) firstOfThird = Math.min(firstOfThird, i);
        }
        assertTrue(lastOfSecond < firstOfThird, "h5 runs alone, after h3 and h4");
    }

    @Test
    void aFailedHostDoesNotStopLaterBatchesWithoutMaxFailPercentage() throws Exception {
        LocalRun r = run("1", null, List.of("h1"), "h1", "h2", "h3");
        assertEquals(List.of("h1", "h2", "h3"), order(r));
        assertEquals(Status.OK, r.task("h3", "debug").status());
    }

    @Test
    void exceedingMaxFailPercentageStopsTheRunAfterThatBatch() throws Exception {
        LocalRun r = run("2", "0", List.of("h1"), "h1", "h2", "h3", "h4");
        assertTrue(r.of("h3").isEmpty() && r.of("h4").isEmpty(), "no later batch starts: " + r.results);
        assertEquals(Status.OK, r.task("h2", "debug").status(), "the failing batch itself finishes");
        assertTrue(r.details.stream().anyMatch(d -> d.contains("max_fail_percentage 0% exceeded")), r.details::toString);
    }

    @Test
    void reachingMaxFailPercentageExactlyDoesNotStop() throws Exception {
        LocalRun r = run("2", "50", List.of("h1"), "h1", "h2", "h3", "h4");
        assertEquals(Status.OK, r.task("h4", "debug").status(), "1 of 2 is 50%, not more: " + r.results);
        LocalRun more = run("[1, 2]", "50", List.of("h2", "h3"), "h1", "h2", "h3", "h4");
        assertTrue(more.of("h4").isEmpty(), "2 of 2 in the second batch is over 50%: h4 never runs: " + more.results);
    }
}
