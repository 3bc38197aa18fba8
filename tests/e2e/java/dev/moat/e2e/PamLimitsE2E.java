package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pam_limits on a real host (issue 14): one task edits /etc/security/limits.conf, another creates
 * /etc/security/limits.d/moat.conf; a new SSH login of {@code deploy} then gets the soft nofile
 * limit from sshd's PAM session. A rerun changes nothing, {@code moat check} exits 0, and
 * {@code moat rollback last} restores limits.conf byte for byte and removes the file it created.
 */
class PamLimitsE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;
    static final String HOST = "h1";

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-pamlimits");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        tb.execOk(HOST, "rm -f /etc/security/limits.d/moat.conf");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    @Test
    void limitsAreWrittenAppliedAtLoginAndRolledBackByteForByte() throws Exception {
        Listing before = tb.checksumListing(HOST, "/etc/security");
        Path pb = dir.resolve("limits.yml");
        Files.writeString(pb, """
                - hosts: all
                  tasks:
                    - community.general.pam_limits: {domain: deploy, limit_type: soft, limit_item: nofile, value: "2048"}
                    - pam_limits: {domain: "@moat", limit_type: "-", limit_item: nproc, value: "512", dest: /etc/security/limits.d/moat.conf, comment: from moat}
                """);
        String inv = tb.inventory().toString();
        ProcResult r = moat("apply", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(tb.execOk(HOST, "cat /etc/security/limits.conf").endsWith("deploy\tsoft\tnofile\t2048\n"), "the line appended, tab-separated as Ansible writes it");
        assertEquals("@moat\t-\tnproc\t512\t#from moat\n", tb.execOk(HOST, "cat /etc/security/limits.d/moat.conf"));
        assertEquals("2048\n", tb.exec(HOST, "deploy", "ulimit -Sn", null).stdout(), "a new login gets the limit from PAM");

        ProcResult again = moat("apply", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.stdout().matches("(?s).*\\n" + HOST + " +: ok=\\d+ +changed=0 .*"), "a rerun changes nothing: " + again.describe());
        ProcResult check = moat("check", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, check.exitCode(), "check finds no drift: " + check.describe());

        ProcResult rb = moat("rollback", "last", "-i", inv, "--limit", HOST);
        assertEquals(0, rb.exitCode(), rb.describe());
        assertEquals(before, tb.checksumListing(HOST, "/etc/security"), "limits.conf byte for byte, limits.d/moat.conf removed");
    }
}
