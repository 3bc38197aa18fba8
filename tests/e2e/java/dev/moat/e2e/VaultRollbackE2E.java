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
 * harden-inference.yml runs with {@code rollback: block}: when the certificate cannot be issued,
 * the vault block is rolled back on that host, and the exposure block stays applied, so a failed
 * certificate never re-opens the GPU ports.
 */
class VaultRollbackE2E {
    static Testbed tb;
    static Path dir;
    static Path inventory;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        org.junit.jupiter.api.Assumptions.assumeTrue(tb.docker(), "the testbed runs without --docker");
        dir = Files.createTempDirectory("moat-vault-rollback");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString(), "MOAT_VAULT_PASSWORD", "vault-" + System.nanoTime());
        TestHost h2 = tb.host("h2");
        // Nothing listens on 10.77.0.1:14009: certbot cannot reach this "ACME server".
        Files.writeString(dir.resolve("inventory.yml"), """
                all:
                  hosts:
                    h2:
                      ansible_host: %s
                      ansible_user: root
                      ansible_ssh_private_key_file: %s
                      ansible_ssh_common_args: -o UserKnownHostsFile=%s
                      acme_email: ops@lab.test
                      acme_server: https://10.77.0.1:14009/dir
                      acme_ca_bundle: %s
                      vault_services:
                        - {name: vllm, port: 8000, domain: vllm.h2.test}
                """.formatted(h2.address(), tb.key(), tb.knownHosts(), tb.pebbleListenerCert()));
        inventory = dir.resolve("inventory.yml");
    }

    @AfterAll
    static void tearDown() {
        MoatCli.run(null, env, Duration.ofMinutes(3), "rollback", "last", "-i", inventory.toString(), "--force");
        tb.exec("h2", "ufw --force reset >/dev/null; ufw --force disable >/dev/null; rm -f /etc/ufw/*.rules.20*");
    }

    @Test
    void aFailedCertificateRollsBackTheVaultButNeverReopensTheGpuPorts() throws Exception {
        String nginxBefore = tb.checksumListing("h2", "/etc/nginx").toString();
        ProcResult r = MoatCli.run(null, env, Duration.ofMinutes(5), "apply",
                MoatCli.root().resolve("playbooks/harden-inference.yml").toString(), "-i", inventory.toString());
        assertEquals(1, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("failed: [h2] Certificates from the ACME server"), r.stdout());
        assertTrue(r.stdout().contains("vllm.h2.test"), "the error names the domain: " + r.stdout());
        assertTrue(r.stdout().contains("restored the failing block's"), r.stdout());
        assertEquals(nginxBefore, tb.checksumListing("h2", "/etc/nginx").toString(), "the vault block is undone");
        assertTrue(tb.execOk("h2", "grep -c '\"127.0.0.1:8000:8000\"' /opt/ai/docker-compose.yml").strip().equals("1"),
                "the compose ports stay on loopback");
        assertTrue(tb.execOk("h2", "ufw status").contains("Status: active"), "the firewall baseline stays");
        Process p = new ProcessBuilder("curl", "-s", "-m", "3", "-o", "/dev/null", "-w", "%{http_code}",
                "http://" + tb.host("h2").address() + ":8000/").start();
        String code = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        assertEquals("000", code, "port 8000 stays closed from outside");
    }
}
