package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;

/** Registered results, no_log, tag selection in a run, and the run's exit code when outcomes mix. */
class RunnerResultTest {
    @TempDir Path tmp;

    @Test
    void registeredStdoutLinesAndStderrLines() throws Exception {
        String play = """
                - hosts: all
                  tasks:
                    - shell: "printf 'one\\\\ntwo  words\\\\n\\\\nlast\\\\n'; echo err >&2"
                      register: out
                      changed_when: false
                    - assert:
                        that:
                          - out.stdout_lines == ['one', 'two  words', '', 'last']
                          - out.stdout_lines | length == 4
                          - out.stderr_lines == ['err']
                          - out.stdout == 'one\\ntwo  words\\n\\nlast'
                          - out.rc == 0
                    - shell: "true"
                      register: quiet
                      changed_when: false
                    - assert: {that: "quiet.stdout_lines == []"}
                """;
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(play, "h1"), r.results::toString);
        assertEquals(List.of("one", "two  words", "", "last"), r.results.get(0).registered().get("stdout_lines"));
    }

    @Test
    void noLogMarksTheResultAndHidesTheStepsFromVerboseOutput() throws Exception {
        String play = """
                - hosts: all
                  tasks:
                    - shell: echo s3cret > TMP/token
                      no_log: true
                    - block:
                        - copy: {dest: TMP/key, content: "k3y"}
                      no_log: true
                """;
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(play, "h1"), r.results::toString);
        assertTrue(r.results.stream().allMatch(TaskResult::noLog), "no_log is on each result, a block's included");
        List<dev.moat.transport.Command> steps = r.transports.get("h1").commands.stream()
                .filter(c -> c.script().contains("s3cret") || new String(c.stdin()).contains("k3y")).toList();
        assertFalse(steps.isEmpty());
        assertTrue(steps.stream().allMatch(dev.moat.transport.Command::sensitive), "kept out of -v logs");
        assertEquals("k3y", Files.readString(tmp.resolve("key")));
    }

    @Test
    void tagsSelectTasksInARunWithPlayAndBlockTagsInherited() throws Exception {
        String play = """
                - hosts: all
                  tags: [site]
                  tasks:
                    - debug: {msg: web}
                      tags: web
                    - block:
                        - debug: {msg: in db block}
                      tags: db
                    - debug: {msg: always}
                      tags: always
                    - debug: {msg: debug only}
                      tags: [never, debug]
                """;
        LocalRun r = new LocalRun(tmp);
        r.options = new RunOptions(false, false, 10, Set.of("db"), null, null, false);
        assertEquals(ExitCode.OK, r.run(play, "h1"));
        assertEquals(List.of("in db block", "always"), messages(r));

        r.reset();
        r.options = new RunOptions(false, false, 10, Set.of("site"), Set.of("db"), null, false);
        r.run(play, "h1");
        assertEquals(List.of("web", "always", "debug only"), messages(r),
                "the play's tag reaches every task, a never task's too (as in Ansible); db skipped");

        r.reset();
        r.options = new RunOptions(false, false, 10, Set.of("debug"), null, null, false);
        r.run(play, "h1");
        assertEquals(List.of("always", "debug only"), messages(r));
    }

    @Test
    void theTasksOfABlockWhoseConditionIsFalseAreEachReportedSkipped() throws Exception {
        // As Ansible reports them (geerlingguy.certbot's import_tasks of setup-RedHat.yml on a Debian
        // host, recorded in tests/fixtures/check-compare/geerlingguy.certbot-snap): one "skipping" per task.
        String play = """
                - hosts: all
                  tasks:
                    - name: not here
                      when: false
                      block:
                        - debug: {msg: one}
                        - name: two
                          debug: {msg: two}
                      always:
                        - debug: {msg: three}
                    - debug: {msg: after}
                """;
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(play, "h1"), r.results::toString);
        assertEquals(List.of(Status.SKIPPED, Status.SKIPPED, Status.SKIPPED, Status.OK), r.results.stream().map(TaskResult::status).toList());
        assertEquals(List.of("after"), messages(r));
        // A condition that cannot be evaluated fails at the block, naming it.
        r.reset();
        String broken = "- hosts: all\n  tasks:\n    - name: broken\n      when: nosuch.attr\n      block:\n        - debug: {msg: one}\n";
        assertEquals(ExitCode.FAILED, r.run(broken, "h1"));
        assertEquals("broken", r.results.get(0).task());
    }

    private static List<String> messages(LocalRun r) {
        return r.results.stream().filter(t -> t.status() != Status.SKIPPED).map(TaskResult::message).toList();
    }

    private static final String MIXED = """
            - hosts: all
              tasks:
                - assert: {that: "inventory_hostname != 'bad'"}
                - copy: {dest: "TMP/{{ inventory_hostname }}", content: "new"}
            """;

    private int mixed(boolean check, String... hosts) throws Exception {
        for (String h : hosts) Files.writeString(tmp.resolve(h), "old");
        LocalRun r = new LocalRun(tmp);
        r.options = new RunOptions(check, false, 10, null, null, null, false);
        r.down = List.of("down");
        return r.run(MIXED, hosts);
    }

    @Test
    void exitCodesTakeTheWorstByPrecedenceFailedUnreachableDriftOk() throws Exception {
        assertEquals(ExitCode.FAILED, mixed(true, "bad", "down", "drift"), "1 over 3 over 2");
        assertEquals(ExitCode.UNREACHABLE, mixed(true, "down", "drift"), "3 over 2");
        assertEquals(ExitCode.DRIFT, mixed(true, "drift", "other"));
        assertEquals(ExitCode.FAILED, mixed(false, "bad", "down", "drift"));
        assertEquals(ExitCode.UNREACHABLE, mixed(false, "down", "drift"), "apply: changes are not drift");
        assertEquals(ExitCode.OK, mixed(false, "drift"));
    }

    @Test
    void worstCombinesInAnyOrder() {
        int[] order = {ExitCode.OK, ExitCode.DRIFT, ExitCode.UNREACHABLE, ExitCode.FAILED};
        for (int i = 0; i < order.length; i++) {
            for (int j = 0; j < order.length; j++) {
                int expected = order[Math.max(i, j)];
                assertEquals(expected, ExitCode.worst(order[i], order[j]), order[i] + " vs " + order[j]);
            }
        }
    }

    @Test
    void anIgnoredFailureDoesNotFailTheRun() throws Exception {
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run("- hosts: all\n  tasks:\n    - command: \"false\"\n      ignore_errors: true\n", "h1"));
        assertTrue(r.results.get(0).ignored());
    }
}
