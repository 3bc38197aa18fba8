package dev.moat.journal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The job files' status text, read into Ansible's result shape. */
class AsyncJobsTest {
    @Test
    void aFinishedJobReadsAsAnsiblesResult() {
        String out = "@@dir /var/lib/moat/async/j1.2\n@@rc 3\n@@start 2026-12-07 15:23:48.813125\n@@end 2026-12-07 15:23:51.320167\n"
                + "@@stdout\nZG9uZQo=\n@@stderr\n\n";
        AsyncJobs.State s = AsyncJobs.parse("j1.2", out);
        assertTrue(s.finished());
        Map<String, Object> r = s.result();
        assertEquals("j1.2", r.get("ansible_job_id"));
        assertEquals(1, r.get("finished"));
        assertEquals(3, r.get("rc"));
        assertEquals("done", r.get("stdout"));
        assertEquals(java.util.List.of("done"), r.get("stdout_lines"));
        assertEquals("", r.get("stderr"));
        assertEquals("0:00:02.507042", r.get("delta"), "Ansible's delta for the same start and end (async.txt)");
        assertEquals("/var/lib/moat/async/j1.2", r.get("results_file"));
    }

    @Test
    void aRunningJobHasNoExitCodeAndAMissingOneIsNotFound() {
        AsyncJobs.State running = AsyncJobs.parse("j1.2", "@@dir /d\n@@start 2026-12-07 15:23:48.813125\n@@end \n@@stdout\n\n@@stderr\n\n");
        assertFalse(running.finished());
        assertEquals(0, running.result().get("finished"));
        assertFalse(running.result().containsKey("rc"));
        assertFalse(AsyncJobs.parse("j1.2", "@@missing\n").found());
    }

    @Test
    void jobIdsAreAnsiblesShapeAndNothingElseIsAcceptedAsOne() {
        assertTrue(AsyncJobs.newJid().matches("j\\d{12}\\.\\d+"));
        assertTrue(AsyncJobs.valid("j182832568720.196"));
        assertFalse(AsyncJobs.valid("../etc"));
        assertFalse(AsyncJobs.valid("a b"));
    }
}
