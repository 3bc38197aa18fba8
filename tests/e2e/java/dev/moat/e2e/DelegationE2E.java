package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * delegate_to an inventory host, delegate_facts, and async on real hosts (issue 12): the recorded
 * play of {@code src/test/resources/keywords/delegate-host.yml} gives ansible-playbook's answers
 * ({@code delegate-host.txt}); a failed host's rollback restores what it changed on its delegate;
 * an async job outlives a controller killed mid-poll.
 */
class DelegationE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-delegate");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    @Test
    void theRecordedPlayGivesAnsiblesAnswers() throws Exception {
        tb.execOk("h3", "rm -f /tmp/deleg-h1 /tmp/deleg-h2");
        Path pb = MoatCli.root().resolve("src/test/resources/keywords/delegate-host.yml");
        ProcResult r = moat("apply", pb.toString(), "-i", tb.inventory().toString());
        assertEquals(0, r.exitCode(), r.describe());
        String out = r.stdout();
        assertTrue(out.contains("changed: [h1 -> h3] write on h3 for each host"), out);
        assertTrue(out.contains("ok: [h2 -> h3] hostname where it ran"), out);
        // Ansible's answers (delegate-host.txt): the command ran on h3, with each host's own variables.
        for (String want : List.of("h3 h1 True", "h3 h2 True", "unset")) assertTrue(out.contains("    " + want + "\n"), want + " in " + out);
        assertTrue(out.contains("ok: [h3] the given fact\n    by-h"), "delegate_facts gave h3 the fact: " + out);
        assertEquals("h1 " + tb.host("h1").address() + " from-h1\n", tb.execOk("h3", "cat /tmp/deleg-h1"),
                "ansible_host in the delegated task is the delegating host's, as in Ansible");
        assertFalse(tb.exec("h1", "test -e /tmp/deleg-h1").exitCode() == 0, "nothing was written on h1 itself");
    }

    @Test
    void aFailedHostsRollbackRestoresItsChangeOnTheDelegate() throws Exception {
        tb.execOk("h3", "printf 'before\\n' > /tmp/deleg-shared");
        Path pb = dir.resolve("fail.yml");
        Files.writeString(pb, """
                - hosts: h1
                  gather_facts: false
                  tasks:
                    - copy: {dest: /tmp/deleg-shared, content: "after\\n"}
                      delegate_to: h3
                    - command: "false"
                """);
        ProcResult r = moat("apply", pb.toString(), "-i", tb.inventory().toString());
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("on h3 (delegated): restored 1 of 1 change(s)"), r.stdout());
        assertEquals("before\n", tb.execOk("h3", "cat /tmp/deleg-shared"));
        String record = Files.readString(Files.list(dir.resolve("home/runs")).sorted().reduce((a, b) -> b).orElseThrow());
        assertTrue(record.contains("\"delegated_from\" : \"h1\""), "the run record says whose change it was: " + record);
    }

    @Test
    void anAsyncJobOutlivesAControllerKilledWhilePolling() throws Exception {
        tb.execOk("h2", "rm -f /tmp/async-survived");
        Path pb = dir.resolve("async.yml");
        Files.writeString(pb, """
                - hosts: h2
                  gather_facts: false
                  tasks:
                    - shell: sleep 6; echo survived > /tmp/async-survived
                      async: 60
                      poll: 2
                """);
        ProcessBuilder b = new ProcessBuilder(MoatCli.command(List.of("apply", pb.toString(), "-i", tb.inventory().toString())));
        b.environment().putAll(env);
        b.redirectErrorStream(true).redirectOutput(dir.resolve("async.out").toFile());
        Process p = b.start();
        long t0 = System.nanoTime();
        // Wait for the job to start on the host, then kill the controller mid-poll (its SSH connection drops with it).
        while (tb.exec("h2", "ls /var/lib/moat/async/*/pid").exitCode() != 0) {
            assertTrue(System.nanoTime() - t0 < 60_000_000_000L, "the job never started: " + Files.readString(dir.resolve("async.out")));
            Thread.sleep(200);
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertNotEquals(0, tb.exec("h2", "test -e /tmp/async-survived").exitCode(), "killed before the job's end");
        Thread.sleep(8000);
        assertEquals("survived\n", tb.execOk("h2", "cat /tmp/async-survived"), "the job ran to its end without its controller");
        assertTrue(tb.execOk("h2", "cat /var/lib/moat/async/*/rc").lines().anyMatch("0"::equals));
        tb.execOk("h2", "rm -rf /var/lib/moat/async");
    }
}
