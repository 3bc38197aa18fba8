package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;

/**
 * A command declared read-only ({@code check_mode: false}, {@code changed_when: false}) runs in the
 * play's batched read, and the tasks that use its registered result read in that same batch: a
 * no-op check of such a play is one exec per host. Its result is the one a step of its own gives.
 */
class CommandReadsTest {
    @TempDir Path tmp;

    private LocalRun checking() {
        LocalRun r = new LocalRun(tmp);
        r.options = new RunOptions(true, true, 10, null, null, null, false);
        return r;
    }

    private static int execs(LocalRun r, String host) {
        return r.transports.get(host).commands.size();
    }

    @Test
    void aCheckOfAReadOnlyCommandAndTheTaskUsingItIsOneExec() throws Exception {
        Files.writeString(tmp.resolve("answer"), "42");
        LocalRun r = checking();
        String play = """
                - hosts: h1
                  tasks:
                    - shell: echo 42
                      register: r
                      check_mode: false
                      changed_when: false
                    - copy: {dest: TMP/answer, content: "{{ r.stdout }}"}
                """;
        assertEquals(ExitCode.OK, r.runAsWritten(play), r.results::toString);
        assertEquals(1, execs(r, "h1"), "the command and the copy's reads in one script: " + r.transports.get("h1").scripts);
        assertEquals("ok", r.results.get(0).status().toString().toLowerCase(), r.results::toString);
        assertEquals("42", r.results.get(0).registered().get("stdout"));
    }

    @Test
    void aGuessedReadThatTurnsOutWrongIsReadWhenTheTaskRuns() throws Exception {
        Files.writeString(tmp.resolve("f-42"), "x");
        LocalRun r = checking();
        String play = """
                - hosts: h1
                  tasks:
                    - shell: echo 42
                      register: r
                      check_mode: false
                      changed_when: false
                    - copy: {dest: "TMP/f-{{ r.stdout }}", content: "x"}
                """;
        assertEquals(ExitCode.OK, r.runAsWritten(play), "f-42 is read, not the guess's f-: " + r.results);
        assertEquals(2, execs(r, "h1"), "the real path's read is one more round trip");
    }

    @Test
    void aChangeBeforeTheCommandMakesItRunAgainAtItsPlace() throws Exception {
        LocalRun r = new LocalRun(tmp);
        String play = """
                - hosts: h1
                  tasks:
                    - copy: {dest: TMP/f, content: "new"}
                    - command: cat TMP/f
                      register: r
                      check_mode: false
                      changed_when: false
                    - debug: {msg: "{{ r.stdout }}"}
                """;
        Files.writeString(tmp.resolve("f"), "old");
        assertEquals(ExitCode.OK, r.runAsWritten(play), r.results::toString);
        assertEquals("new", r.results.get(1).registered().get("stdout"), "read after the copy, as Ansible runs it");
    }

    @Test
    void aFailingReadOnlyCommandFailsTheTaskAsItsOwnRunWould() throws Exception {
        LocalRun r = checking();
        String play = """
                - hosts: h1
                  tasks:
                    - shell: echo oops >&2; exit 3
                      check_mode: false
                      changed_when: false
                """;
        assertEquals(ExitCode.FAILED, r.runAsWritten(play));
        assertEquals(1, execs(r, "h1"), "no journal, no step: the read had it");
        assertEquals("shell: echo oops >&2; exit 3 failed (exit 3): oops", r.results.get(0).message());
        assertEquals(3, r.results.get(0).registered().get("rc"));
    }

    @Test
    void aLookupIsNeverRenderedWithAGuess() throws Exception {
        LocalRun r = checking();
        String play = """
                - hosts: h1
                  tasks:
                    - shell: echo 42
                      register: r
                      check_mode: false
                      changed_when: false
                    - copy: {dest: "TMP/x", content: "{{ lookup('password', 'TMP/pw-' + r.stdout + ' length=8') }}"}
                """;
        r.runAsWritten(play);
        assertTrue(Files.exists(tmp.resolve("pw-42")), r.results::toString);
        assertFalse(Files.exists(tmp.resolve("pw-")), "the password lookup (it writes a file) never saw the stand-in");
    }

    @Test
    void withoutChangedWhenFalseTheCommandRunsAsAStep() throws Exception {
        LocalRun r = checking();
        String play = """
                - hosts: h1
                  tasks:
                    - shell: echo 42
                      check_mode: false
                """;
        r.runAsWritten(play);
        assertTrue(execs(r, "h1") >= 2, "journaled, then run: " + r.transports.get("h1").scripts);
    }
}
