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
 * The lockout guard covers sshd too: a configuration that makes sshd stop accepting connections
 * from the controller (here: listen on loopback only), applied by reloading sshd, is detected by
 * the fresh-connection check and reverted at once; the host keeps answering SSH.
 */
class SshdGuardE2E {
    static Testbed tb;
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-sshd-guard");
    }

    @AfterAll
    static void tearDown() {
        tb.exec("h3", "rm -f /etc/ssh/sshd_config.d/99-moat-e2e.conf");
    }

    @Test
    void anSshdChangeThatLocksTheControllerOutIsRevertedAtOnce() throws Exception {
        String before = tb.checksumListing("h3", "/etc/ssh").toString();
        Path pb = dir.resolve("sshd.yml");
        Files.writeString(pb, """
                - hosts: h3
                  tasks:
                    - name: sshd listens on loopback only (locks the controller out)
                      copy:
                        dest: /etc/ssh/sshd_config.d/99-moat-e2e.conf
                        content: "ListenAddress 127.0.0.1\\n"
                    - name: reload sshd
                      service: {name: ssh, state: reloaded}
                """);
        ProcResult r = MoatCli.run(null, Map.of("MOAT_HOME", dir.resolve("home").toString()), Duration.ofMinutes(3),
                "apply", pb.toString(), "-i", tb.inventory().toString());
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("refused new SSH connections"), r.stdout());
        assertTrue(r.stdout().contains("the change was reverted"), r.stdout());
        assertEquals("ok\n", tb.execOk("h3", "echo ok"), "the host still answers SSH from outside");
        assertEquals(before, tb.checksumListing("h3", "/etc/ssh").toString(), "/etc/ssh is as before");
    }
}
