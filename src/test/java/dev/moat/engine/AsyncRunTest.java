package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.journal.AsyncJobs;
import dev.moat.transport.ControllerShell;

/**
 * {@code async}/{@code poll} and {@code async_status}, run for real with the local shell (the
 * job files go where they would on a host: /var/lib/moat/async for root, else ~/.moat_async);
 * the result shapes follow Ansible's in {@code src/test/resources/keywords/async.txt}.
 */
class AsyncRunTest {
    @TempDir Path tmp;
    private LocalRun run;

    @AfterEach
    void removeJobs() throws Exception {
        if (run == null) return;
        for (TaskResult r : run.results) {
            Object jid = r.registered().get("ansible_job_id");
            if (jid == null && r.registered().get("async_result") instanceof Map<?, ?> m) jid = m.get("ansible_job_id");
            if (jid != null) ControllerShell.run(AsyncJobs.cleanup(String.valueOf(jid)), new byte[0], java.time.Duration.ofSeconds(10));
        }
    }

    private LocalRun run(String tasks, int exit) throws Exception {
        run = new LocalRun(tmp);
        assertEquals(exit, run.run("- hosts: all\n  gather_facts: false\n  tasks:\n" + tasks, "h1"), () -> run.results.toString());
        return run;
    }

    @Test
    void aPolledJobGivesItsOutputAndAnsiblesJobKeys() throws Exception {
        run("""
                    - name: polled
                      shell: sleep 1; echo done; echo err >&2
                      async: 30
                      poll: 1
                      register: polled
                """, ExitCode.OK);
        Map<String, Object> r = run.task("h1", "polled").registered();
        assertEquals(Status.CHANGED, run.task("h1", "polled").status());
        assertEquals("done", r.get("stdout"));
        assertEquals("err", r.get("stderr"));
        assertEquals(0, r.get("rc"));
        assertEquals(1, r.get("started"));
        assertEquals(1, r.get("finished"));
        assertTrue(String.valueOf(r.get("ansible_job_id")).matches("j\\d{12}\\.\\d+"), r::toString);
        assertTrue(String.valueOf(r.get("delta")).matches("0:00:0\\d\\.\\d{6}"), r::toString);
        assertTrue(String.valueOf(r.get("results_file")).endsWith("/" + r.get("ansible_job_id")), r::toString);
    }

    @Test
    void pollZeroFiresAndAsyncStatusWaitsUntilTheJobFinished() throws Exception {
        run("""
                    - name: fire
                      command: sh -c 'sleep 2; echo late'
                      async: 30
                      poll: 0
                      register: fired
                    - name: right away
                      debug: {msg: "{{ fired.finished }} {{ fired.started }}"}
                    - name: wait
                      async_status: {jid: "{{ fired.ansible_job_id }}"}
                      register: job
                      until: job.finished
                      retries: 10
                      delay: 1
                    - name: after
                      debug: {msg: "{{ job.stdout }} {{ job.rc }}"}
                """, ExitCode.OK);
        assertEquals("0 1", run.task("h1", "right away").message());
        assertEquals("late 0", run.task("h1", "after").message());
        assertTrue((Integer) run.task("h1", "wait").registered().get("attempts") > 1, "the first look found it running");
    }

    @Test
    void aJobOverItsTimeIsKilledAndTheTaskFailsWithAnsiblesMessage() throws Exception {
        Path marker = tmp.resolve("finished");
        run("    - name: too long\n      shell: sleep 6; touch " + marker + "\n      async: 2\n      poll: 1\n      ignore_errors: true\n", ExitCode.OK);
        TaskResult r = run.task("h1", "too long");
        assertEquals(Status.FAILED, r.status());
        assertEquals("async task did not complete within the requested time - 2s", r.message());
        Thread.sleep(5000);
        assertFalse(Files.exists(marker), "the job was killed: it never got to its end");
    }

    @Test
    void asyncOnAModuleThatCannotDetachIsRefusedByName() throws Exception {
        run("    - name: copy\n      copy: {dest: TMP/x, content: x}\n      async: 10\n", ExitCode.FAILED);
        assertTrue(run.task("h1", "copy").message().startsWith("async: moat runs only command and shell detached, not copy"),
                run.task("h1", "copy")::message);
    }

    @Test
    void anUnknownJobIsAnsiblesError() throws Exception {
        run("    - name: nothing\n      async_status: {jid: j000000000000.1}\n", ExitCode.FAILED);
        assertEquals("could not find job (jid j000000000000.1)", run.task("h1", "nothing").message());
    }
}
