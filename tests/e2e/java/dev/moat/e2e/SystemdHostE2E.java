package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Proves a systemd testbed host ({@code testbed up N --systemd}) is what GPU servers are: systemd
 * as PID 1 with its units running, and a reboot that really restarts the host (new boot id, its
 * processes gone) while its disk and its SSH identity survive. Skipped on a testbed whose hosts run
 * sshd as their init.
 */
@Tag("systemd")
class SystemdHostE2E {
    private static final Duration REBOOT_TIMEOUT = Duration.ofSeconds(120);
    private static Testbed tb;

    @BeforeAll
    static void testbed() {
        tb = Testbed.fromEnv();
        assumeTrue(tb.systemd(), "testbed hosts do not run systemd (up --systemd)");
    }

    @Test
    void everyHostRunsSystemdWithItsServices() {
        for (TestHost h : tb.hosts()) {
            assertEquals("systemd", tb.execOk(h.name(), "cat /proc/1/comm").trim(), h.name());
            ProcResult state = tb.exec(h.name(), "systemctl is-system-running --wait");
            String failed = tb.execOk(h.name(), "systemctl --failed --no-legend --plain");
            // degraded would be acceptable for a real server; the testbed masks what cannot run in
            // a container, so any failed unit here is news.
            assertEquals("running", state.stdout().trim(), h.name() + ": failed units:\n" + failed);
            String units = "ssh.service nginx.service certbot.timer" + (tb.docker() ? " docker.service containerd.service" : "");
            assertEquals("active\n".repeat(units.split(" ").length), tb.execOk(h.name(), "systemctl is-active " + units),
                    h.name() + ": " + units);
        }
    }

    @Test
    void aRebootRestartsTheHostAndKeepsItsDiskAndHostKey() {
        TestHost h = tb.hosts().get(tb.hosts().size() - 1);
        String bootId = bootId(h);
        String hostKey = tb.execOk(h.name(), "cat /etc/ssh/ssh_host_ed25519_key.pub");
        tb.execOk(h.name(), "echo " + bootId + " >/root/e2e-before-reboot");
        String sleeper = tb.execOk(h.name(), "setsid sleep 86400 </dev/null >/dev/null 2>&1 & echo $!").trim();
        try {
            // The connection may drop before ssh sees the exit status: only the new boot id counts.
            tb.exec(h.name(), "systemctl reboot");
            String after = awaitNewBoot(h, bootId);
            assertNotEquals(bootId, after);
            assertEquals(bootId + "\n", tb.execOk(h.name(), "cat /root/e2e-before-reboot"), "the disk did not survive");
            assertEquals("gone\n", tb.execOk(h.name(), "kill -0 " + sleeper + " 2>/dev/null && cat /proc/" + sleeper
                    + "/cmdline | tr '\\0' ' ' | grep -q 'sleep 86400' && echo alive || echo gone"));
            // Strict host key checking against the testbed's known_hosts already held; the key file too.
            assertEquals(hostKey, tb.execOk(h.name(), "cat /etc/ssh/ssh_host_ed25519_key.pub"));
            assertEquals("running\n", tb.exec(h.name(), "systemctl is-system-running --wait").stdout());
        } finally {
            tb.exec(h.name(), "rm -f /root/e2e-before-reboot");
        }
    }

    private static String bootId(TestHost h) {
        return tb.execOk(h.name(), "cat /proc/sys/kernel/random/boot_id").trim();
    }

    /** Waits until {@code h} answers SSH with a boot id other than {@code before} and returns it. */
    private static String awaitNewBoot(TestHost h, String before) {
        Instant deadline = Instant.now().plus(REBOOT_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            ProcResult r = tb.exec(h.name(), "cat /proc/sys/kernel/random/boot_id");
            if (r.ok() && !r.stdout().trim().equals(before)) {
                return r.stdout().trim();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(h.name() + " did not come back with a new boot id within " + REBOOT_TIMEOUT);
    }
}
