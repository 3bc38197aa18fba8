package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.journal.Guard;
import dev.moat.journal.Journal;
import dev.moat.module.Module;
import dev.moat.modules.Modules;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;
import dev.moat.transport.UnreachableException;

/**
 * reboot and wait_for_connection in the engine, on this machine: a "boot id" file stands for the
 * host's, a reboot_command that rewrites it for the reboot, and a connector that counts (and can
 * refuse) connections. The real reboot of a systemd host is RebootE2E's.
 */
class ReconnectRunTest {
    @TempDir Path tmp;
    final List<TaskResult> results = new ArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    /** Connections refused before one is let through. */
    final AtomicInteger refuse = new AtomicInteger();
    /** Every connection made, in order. */
    final List<LocalTransport> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

    private int run(String yaml, boolean check) throws Exception {
        Path pb = tmp.resolve("play.yml");
        Files.writeString(pb, yaml.replace("TMP", tmp.toString()));
        Map<String, Module<?>> modules = Modules.builtin();
        RunListener collect = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
        };
        RunSetup setup = new RunSetup("r-" + System.nanoTime(), new RunOptions(check, true, 10, null, null, null, false), modules,
                new Templar(tmp, new Secrets()), (h, vars) -> {
                    connections.incrementAndGet();
                    if (refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new UnreachableException(h + ": connection refused");
                    LocalTransport t = new LocalTransport(h);
                    opened.add(t);
                    return t;
                }, collect, new Journal(tmp.resolve("journal").toString()), new Guard(tmp.resolve("guard").toString()),
                Duration.ofSeconds(30), null, "test");
        return new Runner(setup).reconnectWindow(Duration.ofSeconds(4)).run(PlaybookLoader.load(pb, Catalog.of(modules)), p -> List.of("h1"),
                h -> Map.of("inventory_hostname", h));
    }

    private TaskResult result(String task) {
        return results.stream().filter(r -> r.task().equals(task)).findFirst().orElseThrow(() -> new AssertionError(task + ": " + results));
    }

    private static final String REBOOT = """
            - hosts: all
              gather_facts: false
              tasks:
                - name: before
                  copy: {dest: TMP/file, content: "x\\n"}
                - name: reboot
                  reboot:
                    boot_time_command: cat TMP/boot
                    reboot_command: /bin/sh -c 'echo second > TMP/boot'
                    test_command: test -s TMP/boot
                  register: r
                - name: after
                  command: cat TMP/boot
                  register: after
                - name: show
                  debug: {msg: "{{ r.rebooted }} {{ after.stdout }}"}
            """;

    @Test
    void afterTheRebootTheRestOfThePlayIsReadInOneBatch() throws Exception {
        Files.writeString(tmp.resolve("boot"), "first\n");
        for (String f : List.of("a", "b", "c")) Files.writeString(tmp.resolve(f), f + "\n");
        String play = """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: reboot
                      reboot:
                        boot_time_command: cat TMP/boot
                        reboot_command: /bin/sh -c 'echo second > TMP/boot'
                        test_command: test -s TMP/boot
                    - copy: {dest: TMP/a, content: "a\\n"}
                    - copy: {dest: TMP/b, content: "b\\n"}
                    - block:
                        - copy: {dest: TMP/c, content: "c\\n"}
                        - command: cat TMP/boot
                          register: boot
                          check_mode: false
                          changed_when: false
                    - lineinfile: {path: TMP/a, line: "{{ boot.stdout }}"}
                      check_mode: true
                """;
        assertEquals(ExitCode.OK, run(play, false), results::toString);
        LocalTransport fresh = opened.get(opened.size() - 1);
        List<String> reads = fresh.scripts.stream().filter(x -> x.contains("@@moat")).toList();
        assertEquals(1, reads.size(), "one read for the four tasks after the reboot: " + fresh.scripts);
        assertTrue(reads.get(0).contains(tmp.resolve("c").toString()) && reads.get(0).contains("cat " + tmp.resolve("boot")),
                "the block's copy and the read-only command are in it: " + reads.get(0));
        assertEquals("second", result("command").registered().get("stdout"), "the command's output is the rebooted host's");
    }

    @Test
    void aRebootWaitsForANewBootIdThenReadsTheHostOverAFreshConnection() throws Exception {
        Files.writeString(tmp.resolve("boot"), "first\n");
        assertEquals(ExitCode.OK, run(REBOOT, false), results::toString);
        assertEquals(Status.CHANGED, result("reboot").status());
        assertEquals(true, result("reboot").registered().get("rebooted"));
        assertTrue(result("reboot").registered().get("elapsed") instanceof Number, result("reboot").registered()::toString);
        assertEquals("True second", result("show").message(), "the task after the reboot read the host after it");
        assertEquals(2, connections.get(), "the run's connection, then one fresh one after the reboot");
    }

    @Test
    void checkModeSaysWouldRebootAndRebootsNothing() throws Exception {
        Files.writeString(tmp.resolve("boot"), "first\n");
        run(REBOOT.replace("    - name: show\n      debug: {msg: \"{{ r.rebooted }} {{ after.stdout }}\"}\n", ""), true);
        assertFalse(results.stream().anyMatch(r -> r.task().equals("show")), "the fixture lost its last task");
        assertEquals(Status.CHANGED, result("reboot").status());
        assertEquals("would reboot", result("reboot").message());
        assertEquals("first\n", Files.readString(tmp.resolve("boot")));
        assertEquals(1, connections.get(), "no reconnection in check mode");
    }

    @Test
    void aHostThatAnswersWithTheSameBootIdFailsWithAnsiblesMessageAndIsRolledBack() throws Exception {
        Files.writeString(tmp.resolve("boot"), "first\n");
        String yaml = REBOOT.replace("echo second > TMP/boot", "true").replace("test_command:", "reboot_timeout: 2\n        test_command:");
        assertEquals(ExitCode.FAILED, run(yaml, false), results::toString);
        TaskResult r = result("reboot");
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.message().startsWith("Timed out waiting for last boot time check (timeout=2); last error: boot time has not changed"),
                r.message());
        assertFalse(Files.exists(tmp.resolve("file")), "rolled back over the connection that answered: " + results);
    }

    @Test
    void aHostThatNeverAnswersAgainIsUnreachable() throws Exception {
        Files.writeString(tmp.resolve("boot"), "first\n");
        // The run's connection, then every fresh one refused: the reboot's wait and the runner's own retries.
        refuse.set(0);
        String yaml = REBOOT.replace("echo second > TMP/boot", "true").replace("test_command:", "reboot_timeout: 2\n        test_command:")
                .replace("    - name: reboot", "    - name: refuse\n      set_fact: {x: 1}\n    - name: reboot");
        Thread refuser = new Thread(() -> {
            while (results.stream().noneMatch(x -> x.task().equals("before"))) Thread.onSpinWait();
            refuse.set(1000);
        });
        refuser.setDaemon(true);
        refuser.start();
        long t0 = System.nanoTime();
        assertEquals(ExitCode.UNREACHABLE, run(yaml, false), results::toString);
        assertEquals(Status.UNREACHABLE, result("reboot").status());
        assertTrue(result("reboot").message().contains("last error: h1: connection refused"), result("reboot").message());
        assertTrue(Files.exists(tmp.resolve("file")), "left as the journal says, for moat rollback");
        assertTrue(result("rollback").message().contains("change(s) of this run stay journaled on it"), result("rollback").message());
        assertTrue(System.nanoTime() - t0 >= Duration.ofSeconds(4).toNanos(), "the runner gave it the reconnect window");
    }

    @Test
    void aFailingTestCommandFailsTheTaskAndTheHostIsRolledBackOverTheFreshConnection() throws Exception {
        Files.writeString(tmp.resolve("boot"), "first\n");
        String yaml = REBOOT.replace("test -s TMP/boot", "false").replace("test_command:", "reboot_timeout: 2\n        test_command:");
        assertEquals(ExitCode.FAILED, run(yaml, false), results::toString);
        TaskResult r = result("reboot");
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.message().startsWith("Timed out waiting for post-reboot test command (timeout=2); last error: Test command failed:"), r.message());
        assertFalse(Files.exists(tmp.resolve("file")), "rolled back over the fresh connection: " + results);
        assertTrue(result("rollback").message().contains("cannot be undone, left as they are: reboot of the host (Reboot initiated by Ansible)"),
                result("rollback").message());
    }

    @Test
    void waitForConnectionRetriesUntilAFreshConnectionWorks() throws Exception {
        refuse.set(0);
        String yaml = """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: first
                      command: "true"
                    - name: wait
                      wait_for_connection: {sleep: 1, timeout: 30}
                      register: w
                """;
        Path pb = tmp.resolve("play.yml");
        // The run's own connection works; the next two are refused, the third goes through.
        AtomicInteger made = new AtomicInteger();
        Files.writeString(pb, yaml);
        Map<String, Module<?>> modules = Modules.builtin();
        RunListener collect = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
        };
        RunSetup setup = new RunSetup("r1", new RunOptions(false, true, 10, null, null, null, false), modules,
                new Templar(tmp, new Secrets()), (h, vars) -> {
                    int n = made.incrementAndGet();
                    if (n == 2 || n == 3) throw new UnreachableException(h + ": connection refused");
                    return new LocalTransport(h);
                }, collect, new Journal(tmp.resolve("journal").toString()), new Guard(tmp.resolve("guard").toString()),
                Duration.ofSeconds(30), null, "test");
        int exit = new Runner(setup).run(PlaybookLoader.load(pb, Catalog.of(modules)), p -> List.of("h1"), h -> Map.of("inventory_hostname", h));
        assertEquals(ExitCode.OK, exit, results::toString);
        assertEquals(Status.OK, result("wait").status());
        assertEquals(4, made.get());
        assertTrue(((Number) result("wait").registered().get("elapsed")).longValue() >= 2, result("wait").registered()::toString);
    }

    @Test
    void waitForConnectionIsSkippedInCheckMode() throws Exception {
        assertEquals(ExitCode.OK, run("- hosts: all\n  gather_facts: false\n  tasks:\n    - name: wait\n      wait_for_connection: {}\n", true));
        assertEquals(Status.SKIPPED, result("wait").status());
        assertEquals(1, connections.get());
    }

    @Test
    void aRebootDelegatedToTheControllerIsRefused() throws Exception {
        run("- hosts: all\n  gather_facts: false\n  tasks:\n    - name: reboot\n      reboot: {}\n      delegate_to: localhost\n      become: false\n", false);
        assertEquals(Status.FAILED, result("reboot").status());
        assertEquals("Running reboot with local connection would reboot the control node.", result("reboot").message());
    }

    /** What Ansible registered for the same tasks on a systemd testbed host (src/test/resources/ansible/reboot/results.json). */
    @Test
    void theRegisteredResultsAreAnsibles() throws Exception {
        Map<?, ?> ansible;
        try (var in = getClass().getResourceAsStream("/ansible/reboot/results.json")) {
            ansible = new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, Map.class);
        }
        for (boolean check : List.of(false, true)) {
            results.clear();
            Files.writeString(tmp.resolve("boot"), "first\n");
            run("""
                    - hosts: all
                      gather_facts: false
                      tasks:
                        - name: reboot
                          reboot: {msg: "ansible fixture", boot_time_command: cat TMP/boot, reboot_command: "/bin/sh -c 'echo 2 > TMP/boot'"}
                        - name: wait
                          wait_for_connection: {timeout: 60}
                    """, check);
            Map<?, ?> expected = (Map<?, ?>) ansible.get(check ? "check" : "apply");
            for (String[] task : new String[][] {{"reboot", "reboot"}, {"wait", "wait_for_connection"}}) {
                Map<String, Object> got = new java.util.TreeMap<>(result(task[0]).registered());
                got.remove("msg"); // moat's own line for the recap ("rebooted in 3 s"); Ansible registers none
                Map<String, Object> want = new java.util.TreeMap<>();
                ((Map<?, ?>) expected.get(task[1])).forEach((k, v) -> want.put((String) k, v));
                assertEquals(want.keySet(), got.keySet(), task[1] + (check ? " in check mode" : ""));
                for (String k : List.of("changed", "failed", "rebooted", "skipped")) assertEquals(want.get(k), got.get(k), task[1] + " " + k);
            }
        }
        assertTrue(((String) ansible.get("reboot_command")).endsWith("-r 0 \"ansible fixture\""));
    }
}
