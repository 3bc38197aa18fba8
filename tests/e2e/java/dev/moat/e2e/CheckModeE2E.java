package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One meaning of check mode, on a real host: a {@code check_mode: false} task inside {@code moat
 * check} is a real change like any other: journaled, rolled back when a later task fails, and
 * found by {@code moat rollback last}. The check-mode tasks beside it change nothing.
 */
class CheckModeE2E {
    static Testbed tb;
    static Path home;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        home = Files.createTempDirectory("moat-home");
        env = Map.of("MOAT_HOME", home.toString());
        tb.exec("h2", "rm -f /etc/moat-real.conf /etc/moat-dry.conf");
    }

    @AfterAll
    static void tearDown() {
        tb.exec("h2", "rm -f /etc/moat-real.conf /etc/moat-dry.conf");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    static Path playbook(String name, String text) throws Exception {
        Path p = home.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aRealChangeInsideACheckRunIsJournaledRolledBackAndFoundByRollbackLast() throws Exception {
        Path pb = playbook("mixed.yml", """
                - hosts: h2
                  tasks:
                    - copy: {dest: /etc/moat-real.conf, content: "real\\n"}
                      check_mode: false
                    - copy: {dest: /etc/moat-dry.conf, content: "dry\\n"}
                """);
        ProcResult r = moat("check", pb.toString(), "-i", tb.inventory().toString());
        assertEquals(2, r.exitCode(), "the dry copy is drift: " + r.describe());
        assertEquals("real\n", tb.exec("h2", "cat /etc/moat-real.conf").stdout(), "check_mode: false ran for real");
        assertNotEquals(0, tb.exec("h2", "test -e /etc/moat-dry.conf").exitCode(), "the check-mode task changed nothing");

        ProcResult back = moat("rollback", "last", "-i", tb.inventory().toString());
        assertEquals(0, back.exitCode(), back.describe());
        assertTrue(back.stdout().contains("rolled back: [h2] restored 1 change(s)"), back.stdout());
        assertNotEquals(0, tb.exec("h2", "test -e /etc/moat-real.conf").exitCode(), "rollback last found the check run's real change");
    }

    @Test
    void aFailureLaterInTheCheckRunRollsTheRealChangeBack() throws Exception {
        Path pb = playbook("failing.yml", """
                - hosts: h2
                  tasks:
                    - copy: {dest: /etc/moat-real.conf, content: "real\\n"}
                      check_mode: false
                    - assert: {that: ["1 == 2"], fail_msg: "stop here"}
                """);
        ProcResult r = moat("check", pb.toString(), "-i", tb.inventory().toString());
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("rolled back"), r.stdout());
        assertNotEquals(0, tb.exec("h2", "test -e /etc/moat-real.conf").exitCode(), "the real change was rolled back");
    }
}
