package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.transport.Command;

/**
 * Playbook keywords at run time (environment, templated booleans, notify on blocks, check_mode on
 * plays and blocks, any_errors_fatal, run_once, throttle, action, collections), each against what
 * ansible-playbook 2.14 answered on the same play ({@code src/test/resources/keywords/NAME.yml},
 * its answer in {@code NAME.txt}).
 */
class KeywordsRunTest {
    @TempDir Path tmp;

    /** A run of {@code yaml} on {@code hosts}, which must end with {@code exit}. */
    private LocalRun run(String yaml, int exit, String... hosts) throws Exception {
        LocalRun run = new LocalRun(tmp);
        assertEquals(exit, run.run(yaml, hosts), run.results::toString);
        return run;
    }

    /** A play on all hosts with these tasks (YAML, each line indented as under {@code tasks:}). */
    private static String tasks(String... lines) {
        return "- hosts: all\n  tasks:\n" + String.join("\n", lines) + "\n";
    }

    private static String play(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/keywords", name + ".yml"));
    }

    /** Ansible's recorded answer: the lines of NAME.txt that are not comments. */
    private static List<String> recorded(String name) throws Exception {
        return Files.readAllLines(Path.of("src/test/resources/keywords", name + ".txt")).stream().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void environmentMergesTaskOverBlockOverPlayAsInAnsible() throws Exception {
        LocalRun run = run(play("environment"), ExitCode.OK, "h1");
        assertEquals(recorded("environment").get(0), run.task("h1", "show").registered().get("stdout"));
    }

    @Test
    void aSecretInTheEnvironmentKeepsTheStepOutOfLogs() throws Exception {
        LocalRun run = new LocalRun(tmp);
        run.secrets.add(System.getenv("HOME"));
        String yaml = tasks("    - shell: 'echo \"$TOKEN\" > TMP/token'", "      environment: {TOKEN: \"{{ lookup('env', 'HOME') }}\"}");
        assertEquals(ExitCode.OK, run.run(yaml, "h1"), run.results::toString);
        assertEquals(System.getenv("HOME") + "\n", Files.readString(tmp.resolve("token")));
        Command step = run.transports.get("h1").commands.stream().filter(c -> c.script().contains("export TOKEN=")).findFirst().orElseThrow();
        assertTrue(step.sensitive(), "a step whose environment holds a secret is sensitive");
    }

    @Test
    void ignoreErrorsRenderedPerHostAsInAnsible() throws Exception {
        LocalRun run = run(play("templated-ignore"), ExitCode.OK, "h1");
        TaskResult fails = run.task("h1", "fails");
        assertEquals(Status.FAILED, fails.status());
        assertTrue(fails.ignored());
        assertEquals(recorded("templated-ignore").get(1), "after: " + run.task("h1", "after").message());
    }

    @Test
    void aTemplatedBooleanThatIsNotOneFailsTheTask() throws Exception {
        LocalRun run = run("- hosts: all\n  vars: {x: maybe}\n  tasks:\n    - name: t\n      debug: {msg: hi}\n      no_log: \"{{ x }}\"\n",
                ExitCode.FAILED, "h1");
        assertTrue(run.task("h1", "t").message().contains("no_log: '{{ x }}' gave 'maybe', not a boolean"), run.results::toString);
    }

    @Test
    void notifyOnABlockReachesAListeningHandlerAsInAnsible() throws Exception {
        LocalRun run = run(play("block-notify"), ExitCode.OK, "h1");
        List<String> want = recorded("block-notify");
        assertEquals(want.get(0), "one: " + run.task("h1", "one").status().toString().toLowerCase());
        assertEquals(want.get(1), "two: " + run.task("h1", "two").status().toString().toLowerCase());
        assertEquals(want.get(2), "h: " + run.task("h1", "h").message());
        assertEquals(1, run.of("h1").stream().filter(r -> r.task().equals("h")).count());
    }

    @Test
    void checkModeOnPlayAndBlockAsInAnsible() throws Exception {
        LocalRun run = run(play("check-mode-block"), ExitCode.OK, "h1");
        List<String> want = recorded("check-mode-block");
        assertEquals(want.get(0), "c1: " + (Files.exists(tmp.resolve("c1")) ? "present" : "absent"));
        assertEquals(want.get(1), "c2: " + Files.readString(tmp.resolve("c2")));
    }

    @Test
    void anyErrorsFatalEndsThePlayForEveryHostAsInAnsible() throws Exception {
        LocalRun run = run(play("any-errors-fatal"), ExitCode.FAILED, "h1", "h2", "h3"); // Ansible exits 2 here, moat 1 (a host failed)
        assertEquals(Status.FAILED, run.task("h2", "fail on h2").status());
        for (String h : List.of("h1", "h3")) {
            assertEquals(Status.SKIPPED, run.task(h, "fail on h2").status());
            assertTrue(run.of(h).stream().noneMatch(r -> r.status() == Status.FAILED), run.results::toString);
        }
        assertTrue(run.results.stream().noneMatch(r -> r.task().equals("next") || r.task().equals("second play")),
                "no host starts a task after the failure: " + run.results);
        assertTrue(recorded("any-errors-fatal").contains("next: never ran"));
    }

    @Test
    void runOnceRunsOnTheFirstHostAndGivesEveryHostItsResultAsInAnsible() throws Exception {
        LocalRun run = run(play("run-once"), ExitCode.OK, "h1", "h2", "h3");
        List<String> want = recorded("run-once");
        List<TaskResult> once = run.results.stream().filter(r -> r.task().equals("once")).toList();
        assertEquals(1, once.size(), "shown once: " + once);
        assertEquals(want.get(0), "once: " + once.get(0).host() + " " + once.get(0).status().toString().toLowerCase());
        for (int i = 1; i <= 3; i++) {
            String h = "h" + i;
            assertEquals(want.get(i), h + " " + run.task(h, "show").message());
        }
        long ran = run.transports.values().stream().flatMap(t -> t.scripts.stream()).filter(s -> s.contains("echo")).count();
        assertEquals(1, ran, "the command ran on one host");
    }

    @Test
    void hostsWaitingForEachOtherAtABarrierAndARunOnceTaskGoOn() throws Exception {
        String yaml = tasks("    - block:", "        - name: fatal check", "          command: \"true\"", "          any_errors_fatal: true",
                "      when: inventory_hostname == 'h1'", "    - name: once", "      command: echo once", "      run_once: true",
                "      register: r", "    - name: show", "      debug: {msg: \"{{ r.stdout }}\"}");
        LocalRun run = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> run(yaml, ExitCode.OK, "h1", "h2"));
        assertEquals("once", run.task("h2", "show").message());
    }

    @Test
    void underStrategyFreeRunOnceRunsOnEveryHostAsInAnsible() throws Exception {
        LocalRun run = run(play("run-once-free"), ExitCode.OK, "h1", "h2", "h3");
        List<String> want = recorded("run-once-free");
        for (int i = 1; i <= 3; i++) assertEquals(want.get(i), "h" + i + " " + run.task("h" + i, "show").message());
    }

    @Test
    void throttleBoundsHostsRunningATaskAtOnce() throws Exception {
        String in = "TMP/in.{{ inventory_hostname }}";
        run(tasks("    - shell: \"mkdir " + in + "; ls -d TMP/in.* | wc -l >> TMP/max; sleep 0.3; rmdir " + in + "\"", "      throttle: 1"),
                ExitCode.OK, "h1", "h2", "h3", "h4");
        assertEquals(List.of("1", "1", "1", "1"), Files.readAllLines(tmp.resolve("max")));
    }

    @Test
    void theOldActionFormsAndCollectionsRunTheirModuleAsInAnsible() throws Exception {
        LocalRun run = run(play("action"), ExitCode.OK, "h1");
        List<String> want = recorded("action");
        assertEquals(want.get(0), "old form: " + run.task("h1", "old form").status().toString().toLowerCase() + " "
                + run.task("h1", "old form").registered().get("stdout"));
        assertEquals(want.get(1), "dict form: " + run.task("h1", "dict form").message());
    }

    @Test
    void diffFalseWithholdsTheTasksDiffs() throws Exception {
        LocalRun run = run(tasks("    - name: quiet", "      copy: {dest: TMP/q, content: secret-ish}", "      diff: false",
                "    - name: loud", "      copy: {dest: TMP/l, content: shown}"), ExitCode.OK, "h1");
        assertTrue(run.task("h1", "quiet").diffs().isEmpty());
        assertFalse(run.task("h1", "loud").diffs().isEmpty());
    }

    @Test
    void delegateToLocalhostLocalActionAndConnectionLocalRunOnTheControllerAsInAnsible() throws Exception {
        LocalRun run = run(play("delegate"), ExitCode.OK, "h1", "h2");
        List<String> want = recorded("delegate");
        assertEquals(want.get(0), "on the controller: " + run.task("h1", "on the controller").status().toString().toLowerCase());
        assertEquals(want.get(1), "local action: " + run.task("h2", "local action").status().toString().toLowerCase());
        assertEquals(want.get(2), run.task("h1", "show").message());
        assertEquals(want.get(3), run.task("h2", "show").message());
        assertEquals(want.get(4), run.task("h1", "show local").message());
        for (LocalTransport t : run.transports.values()) {
            assertTrue(t.scripts.stream().noneMatch(s -> s.contains("echo")), "nothing ran on the host: " + t.scripts);
        }
    }

    @Test
    void delegationToTheControllerWithBecomeIsRefusedClearly() throws Exception {
        LocalRun sudo = run("- hosts: all\n  become: true\n  tasks:\n    - name: t\n      local_action: command true\n", ExitCode.FAILED, "h1");
        assertTrue(sudo.task("h1", "t").message().startsWith("delegate_to: localhost runs on the controller as you"), sudo.results::toString);
    }
}
