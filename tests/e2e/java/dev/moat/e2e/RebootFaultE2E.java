package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's last fault: a host reboots in the middle of a run, not by the reboot module but by
 * {@code systemctl reboot} from another session while a task runs. Its connection drops; moat
 * reconnects once it is back (within a minute), rolls back what the run changed there from the
 * journal on its disk, and the other host converges. Needs two systemd testbed hosts (the CI lane's).
 */
@Tag("systemd")
class RebootFaultE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        assumeTrue(tb.systemd(), "testbed hosts do not run systemd (up --systemd)");
        assumeTrue(tb.hosts().size() >= 2, "needs two hosts");
        dir = Files.createTempDirectory("moat-rbfault");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
    }

    @AfterAll
    static void tearDown() {
        if (tb == null || !tb.systemd()) return;
        for (TestHost h : tb.hosts()) tb.exec(h.name(), "rm -f /etc/moat-rbfault.txt");
    }

    @Test
    void aHostRebootedUnderARunIsRolledBackOnceItAnswersAndTheOthersConverge() throws Exception {
        for (String h : new String[] {"h1", "h2"}) tb.execOk(h, "echo before > /etc/moat-rbfault.txt");
        String boot = tb.execOk("h2", "cat /proc/sys/kernel/random/boot_id").strip();
        Path play = dir.resolve("fault.yml");
        Files.writeString(play, """
                - hosts: h1,h2
                  gather_facts: false
                  tasks:
                    - name: a change before the reboot
                      copy: {content: "changed\\n", dest: /etc/moat-rbfault.txt}
                    - name: a long task the reboot interrupts
                      command: sleep 30
                """);
        CompletableFuture<ProcResult> run = CompletableFuture.supplyAsync(
                () -> MoatCli.run(null, env, Duration.ofMinutes(5), "apply", play.toString(), "-i", tb.inventory().toString()));
        // Another session reboots h2 while the long task runs there.
        Instant deadline = Instant.now().plusSeconds(60);
        while (!tb.exec("h2", "pgrep -x sleep >/dev/null && grep -q changed /etc/moat-rbfault.txt").ok()) {
            assertTrue(Instant.now().isBefore(deadline), "the long task never started on h2");
            Thread.sleep(300);
        }
        tb.exec("h2", "systemctl reboot");
        ProcResult r = run.get();

        assertNotEquals(boot, tb.execOk("h2", "cat /proc/sys/kernel/random/boot_id").strip(), "h2 rebooted");
        assertEquals(3, r.exitCode(), "unreachable: " + r.describe());
        assertTrue(r.stdout().contains("unreachable: [h2] a long task the reboot interrupts"), r.stdout());
        assertTrue(r.stdout().contains("ok: [h2] rollback\n    restored this run's 1 change(s)"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*\\nh2 +: .*unreachable=1 .*rolled back.*reconnected after the connection was lost.*"), r.stdout());
        assertTrue(r.stdout().matches("(?s).*\\nh1 +: ok=2 +changed=2 +unreachable=0 +failed=0 .*"), "h1 converges: " + r.stdout());
        assertEquals("changed\n", tb.execOk("h1", "cat /etc/moat-rbfault.txt"));
        assertEquals("before\n", tb.execOk("h2", "cat /etc/moat-rbfault.txt"), "h2 restored from the journal on its disk");

        ProcResult back = MoatCli.run(null, env, Duration.ofMinutes(3), "rollback", "last", "-i", tb.inventory().toString());
        assertEquals(0, back.exitCode(), back.describe());
        for (String h : new String[] {"h1", "h2"}) assertEquals("before\n", tb.execOk(h, "cat /etc/moat-rbfault.txt"), h);
    }
}
