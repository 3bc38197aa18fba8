package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** until/retries/delay against Ansible 2.14's answers (until.yml), and each retry's fresh read. */
class RetriesTest {
    @TempDir Path tmp;

    @Test
    void untilRetriesAndAttemptsAsAnsible() throws Exception {
        RecordedPlay.runAndCompare(tmp, "until", false);
    }

    @Test
    void eachRetryReadsTheHostAgain() throws Exception {
        // stat reads a fact; the file appears between reads (a host whose state changes while we wait).
        LocalRun run = new LocalRun(tmp);
        new Thread(() -> {
            try {
                // the file appears once the host has been read (the first attempt), never before
                for (int i = 0; i < 300 && !read(run); i++) Thread.sleep(20);
                Files.writeString(tmp.resolve("ready"), "");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).start();
        run.run("""
                - hosts: all
                  tasks:
                    - stat: {path: TMP/ready}
                      register: s
                      until: s.stat.exists
                      retries: 20
                      delay: 1
                    - debug: {msg: "{{ s.attempts > 1 }} {{ s.stat.exists }}"}
                """, "h1");
        assertEquals(Status.OK, run.of("h1").get(0).status(), run.of("h1").get(0).message());
        assertEquals("True True", run.of("h1").get(1).message());
        long reads = run.transports.get("h1").scripts.stream().filter(s -> s.contains("ready")).count();
        assertTrue(reads > 1, "one read per attempt, not a cached fact: " + reads);
    }

    private static boolean read(LocalRun run) {
        LocalTransport t = run.transports.get("h1");
        if (t == null) return false;
        synchronized (t) {
            return t.scripts.stream().anyMatch(s -> s.contains("ready"));
        }
    }

    @Test
    void exhaustedRetriesFailTheTaskNamingTheCondition() throws Exception {
        LocalRun run = new LocalRun(tmp);
        run.run("""
                - hosts: all
                  tasks:
                    - command: "true"
                      register: r
                      until: r.rc == 1
                      retries: 1
                      delay: 0
                """, "h1");
        TaskResult r = run.of("h1").get(0);
        assertEquals(Status.FAILED, r.status());
        assertEquals("until: r.rc == 1 still false after 2 attempts", r.message());
        assertEquals(1, r.registered().get("attempts"));
        assertTrue(run.details.stream().anyMatch(d -> d.contains("FAILED - RETRYING: [h1]: command (1 retries left).")), run.details.toString());
    }

    @Test
    void inCheckModeACommandThatWouldRunIsNotRetried() throws Exception {
        LocalRun run = new LocalRun(tmp);
        run.options = new RunOptions(true, true, 10, null, null, null, false);
        run.run("""
                - hosts: all
                  tasks:
                    - command: "touch TMP/x"
                      register: r
                      until: r.rc | default(7) == 0
                      retries: 2
                      delay: 0
                """, "h1");
        TaskResult r = run.of("h1").get(0);
        assertNotEquals(Status.FAILED, r.status());
        assertEquals(1, r.registered().get("attempts"));
        assertFalse(Files.exists(tmp.resolve("x")));
    }
}
