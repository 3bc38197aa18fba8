package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's fleet fault on 20 real hosts: five of them fail, each at a different point (after the
 * first, second and third task, in the last one, and in a module whose directory is a file on the
 * host), while the other fifteen converge in the same run. Each failing host is rolled back to
 * exactly how it was; the exit code is 1 and the recap names each; {@code moat rollback last}
 * then restores the fifteen. Needs a testbed of at least 20 hosts ({@code testbed up 20};
 * {@code tests/run} brings one up for it).
 */
@Tag("fleet")
class FleetFaultE2E {
    static final int HOSTS = 20;
    /** host → the task it fails at (1-based); the others fail nowhere. */
    static final Map<String, Integer> FAILING = Map.of("h2", 1, "h7", 2, "h11", 3, "h16", 4, "h20", 3);
    static Testbed tb;
    static Path dir, inventory;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        assumeTrue(tb.hosts().size() >= HOSTS, "needs a testbed of " + HOSTS + " hosts (testbed up " + HOSTS + ")");
        dir = Files.createTempDirectory("moat-fleet");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        // The testbed's own inventory, with each failing host's task number in host_vars beside it.
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, Files.readString(tb.inventory()));
        Files.createDirectories(dir.resolve("host_vars"));
        for (var e : FAILING.entrySet()) Files.writeString(dir.resolve("host_vars/" + e.getKey() + ".yml"), "fail_at: " + e.getValue() + "\n");
        for (TestHost h : tb.hosts()) tb.execOk(h.name(), "printf 'before %s\\n' " + h.name() + " >/etc/moat-fleet-1.txt; rm -f /etc/moat-fleet-2.txt /etc/moat-fleet.d");
        // h20 fails inside a module: the directory of task 3 is a regular file there.
        tb.execOk("h20", "rm -rf /etc/moat-fleet.d; echo not-a-directory >/etc/moat-fleet.d");
    }

    @AfterAll
    static void tearDown() {
        if (tb == null || tb.hosts().size() < HOSTS) return;
        for (TestHost h : tb.hosts()) tb.exec(h.name(), "rm -rf /etc/moat-fleet-1.txt /etc/moat-fleet-2.txt /etc/moat-fleet.d");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(dir, env, Duration.ofMinutes(10), args);
    }

    @Test
    void fiveOfTwentyFailAtDifferentTasksAndOnlyTheyAreRolledBack() throws Exception {
        Path play = dir.resolve("fleet.yml");
        Files.writeString(play, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: task 1 edits a file
                      copy: {content: "after {{ inventory_hostname }}\\n", dest: /etc/moat-fleet-1.txt}
                    - name: fail at 1
                      fail: {msg: planned failure after task 1}
                      when: fail_at | default(0) == 1
                    - name: task 2 writes a second file
                      copy: {content: "two\\n", dest: /etc/moat-fleet-2.txt}
                    - name: fail at 2
                      fail: {msg: planned failure after task 2}
                      when: fail_at | default(0) == 2
                    - name: task 3 makes a directory
                      file: {path: /etc/moat-fleet.d, state: directory, mode: "0755"}
                    - name: fail at 3
                      fail: {msg: planned failure after task 3}
                      when: fail_at | default(0) == 3 and inventory_hostname != 'h20'
                    - name: task 4 runs a command
                      command: "test {{ fail_at | default(0) }} -ne 4"
                """);
        ProcResult r = moat("apply", play.toString(), "-i", inventory.toString(), "--forks", "20");
        assertEquals(1, r.exitCode(), r.describe());
        for (TestHost h : tb.hosts()) {
            String name = h.name();
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " +: ok=(\\d+) +changed=(\\d+) +unreachable=(\\d+) +failed=(\\d+)(.*)$")
                    .matcher(r.stdout());
            assertTrue(m.find(), "recap line for " + name + ":\n" + r.stdout());
            assertEquals("0", m.group(3), name + " reachable");
            if (FAILING.containsKey(name)) {
                assertEquals("1", m.group(4), name + " failed once: " + m.group());
                assertTrue(m.group(5).contains("rolled back"), name + "'s recap says it was rolled back: " + m.group());
                assertEquals("before " + name + "\n", tb.execOk(name, "cat /etc/moat-fleet-1.txt"), name + " restored byte for byte");
                assertEquals("absent", tb.execOk(name, "[ -e /etc/moat-fleet-2.txt ] && echo present || echo absent").strip(), name);
                String third = name.equals("h20") ? "file" : "absent";
                assertEquals(third, tb.execOk(name, "[ -f /etc/moat-fleet.d ] && echo file || { [ -e /etc/moat-fleet.d ] && echo present || echo absent; }").strip(), name);
            } else {
                assertEquals("0", m.group(4), name + " did not fail: " + m.group());
                assertEquals("after " + name + "\n", tb.execOk(name, "cat /etc/moat-fleet-1.txt"), name + " converged");
                assertEquals("directory", tb.execOk(name, "[ -d /etc/moat-fleet.d ] && echo directory").strip(), name + " converged");
            }
        }
        for (String failed : List.of("h2", "h7", "h11", "h16", "h20")) {
            assertTrue(r.stdout().contains("[" + failed + "]"), "names " + failed + ":\n" + r.stdout());
        }

        ProcResult back = moat("rollback", "last", "-i", inventory.toString(), "--force");
        assertEquals(0, back.exitCode(), back.describe());
        for (TestHost h : tb.hosts()) {
            assertEquals("before " + h.name() + "\n", tb.execOk(h.name(), "cat /etc/moat-fleet-1.txt"), h.name() + " after rollback last");
            assertEquals("absent", tb.execOk(h.name(), "[ -e /etc/moat-fleet-2.txt ] && echo present || echo absent").strip(), h.name());
        }
    }
}
