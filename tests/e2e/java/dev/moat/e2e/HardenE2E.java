package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 4's acceptance on the testbed: before, the fake GPU services answer from the bridge side
 * although UFW is active; after harden-inference.yml they time out from outside and still answer
 * on loopback, HTTPS needs the password and has a certificate from the ACME server, HTTP
 * redirects, the compose files differ only in their port entries, a rerun changes nothing and
 * check finds no drift. Afterwards everything is rolled back with moat.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HardenE2E {
    static final String PASSWORD = "e2e-vault-" + Long.toHexString(System.nanoTime());
    static final int[] PORTS = {8000, 11434, 8188};
    static Testbed tb;
    static Path dir;
    static Path inventory;
    static Map<String, String> env;
    static Map<String, String> composeBefore = new java.util.HashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        org.junit.jupiter.api.Assumptions.assumeTrue(tb.docker(), "the testbed runs without --docker");
        dir = Files.createTempDirectory("moat-harden");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString(), "MOAT_VAULT_PASSWORD", PASSWORD);
        StringBuilder inv = new StringBuilder("all:\n  children:\n    lab:\n      hosts:\n");
        for (TestHost h : tb.hosts()) inv.append("        ").append(h.name()).append(": {ansible_host: ").append(h.address()).append("}\n");
        inv.append("""
                      vars:
                        ansible_user: root
                        ansible_ssh_private_key_file: %s
                        ansible_ssh_common_args: -o UserKnownHostsFile=%s
                        acme_email: ops@lab.test
                        acme_server: %s
                        acme_ca_bundle: %s
                        vault_services:
                          - {name: vllm, port: 8000, domain: "vllm.{{ inventory_hostname }}.test"}
                          - {name: ollama, port: 11434, domain: "ollama.{{ inventory_hostname }}.test"}
                          - {name: comfyui, port: 8188, domain: "comfyui.{{ inventory_hostname }}.test"}
                """.formatted(tb.key(), tb.knownHosts(), tb.pebbleDirectoryUrl(), tb.pebbleListenerCert()));
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, inv.toString());
        for (TestHost h : tb.hosts()) {
            tb.execOk(h.name(), "ufw default deny incoming >/dev/null && ufw allow 22/tcp >/dev/null && ufw --force enable >/dev/null");
            composeBefore.put(h.name(), tb.execOk(h.name(), "cat /opt/ai/docker-compose.yml"));
        }
    }

    @AfterAll
    static void tearDown() {
        for (int i = 0; i < 5; i++) {
            ProcResult r = moat("rollback", "last", "-i", inventory.toString(), "--force");
            if (r.exitCode() != 0) break;
        }
        for (TestHost h : tb.hosts()) tb.exec(h.name(), "ufw --force reset >/dev/null; ufw --force disable >/dev/null; rm -f /etc/ufw/*.rules.20*");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    @Test
    @Order(1)
    void beforeTheGpuPortsAnswerFromOutsideAlthoughUfwIsActive() throws Exception {
        for (TestHost h : tb.hosts()) {
            assertTrue(tb.execOk(h.name(), "ufw status").contains("Status: active"));
            for (int port : PORTS) assertEquals("200", Curl.status(h.address(), port), h.name() + ":" + port + " should be exposed");
        }
    }

    @Test
    @Order(2)
    void hardeningConvergesEveryHost() {
        ProcResult r = moat("apply", MoatCli.hardenInference(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertFalse(r.stdout().contains(PASSWORD), "the vault password is never printed");
    }

    @Test
    @Order(3)
    void afterwardsTheGpuPortsAreClosedFromOutsideButServeOnLoopback() throws Exception {
        for (TestHost h : tb.hosts()) {
            for (int port : PORTS) {
                assertEquals("none", Curl.status(h.address(), port), h.name() + ":" + port + " must not answer from outside");
                assertEquals("200", tb.execOk(h.name(), "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + port + "/").strip());
            }
        }
    }

    @Test
    @Order(4)
    void theVaultNeedsThePasswordOverTlsFromTheAcmeServerAndHttpRedirects() throws Exception {
        tb.execOk("h1", "true");
        Path root = tb.pebbleRoot();
        for (TestHost h : tb.hosts()) {
            for (String svc : List.of("vllm", "ollama", "comfyui")) {
                String d = svc + "." + h.name() + ".test";
                String resolve443 = d + ":443:" + h.address();
                assertEquals("401", Curl.run("-o", "/dev/null", "-w", "%{http_code}", "--cacert", root.toString(), "--resolve", resolve443, "https://" + d + "/"));
                assertEquals("200", Curl.run("-o", "/dev/null", "-w", "%{http_code}", "-u", "apiuser:" + PASSWORD, "--cacert", root.toString(),
                        "--resolve", resolve443, "https://" + d + "/"), d);
                assertEquals("401", Curl.run("-o", "/dev/null", "-w", "%{http_code}", "-u", "apiuser:wrong", "--cacert", root.toString(),
                        "--resolve", resolve443, "https://" + d + "/"));
                assertEquals("301 https://" + d + "/", Curl.run("-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--resolve",
                        d + ":80:" + h.address(), "http://" + d + "/"));
            }
        }
        assertTrue(Curl.run("-w", "%{http_code}", "-u", "apiuser:" + PASSWORD, "--cacert", root.toString(), "--resolve",
                "vllm.h1.test:443:" + tb.host("h1").address(), "https://vllm.h1.test/v1/models").contains("fake-model"),
                "the service's own reply comes through the vault");
    }

    @Test
    @Order(5)
    void theComposeFilesDifferOnlyInThePortEntries() {
        for (TestHost h : tb.hosts()) {
            String before = composeBefore.get(h.name());
            String after = tb.execOk(h.name(), "cat /opt/ai/docker-compose.yml");
            String expected = before.replace("\"8000:8000\"", "\"127.0.0.1:8000:8000\"")
                    .replace("\"11434:11434\"", "\"127.0.0.1:11434:11434\"").replace("\"8188:8188\"", "\"127.0.0.1:8188:8188\"");
            assertNotEquals(before, after);
            assertEquals(expected, after);
        }
    }

    @Test
    @Order(6)
    void aRerunChangesNothingAndCheckFindsNoDrift() {
        ProcResult r = moat("apply", MoatCli.hardenInference(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        for (TestHost h : tb.hosts()) assertTrue(r.stdout().matches("(?s).*\\n" + h.name() + " +: ok=\\d+ +changed=0 .*"), r.stdout());
        SshdLog log = new SshdLog(tb);
        Map<String, Integer> before = new java.util.HashMap<>();
        try {
            for (TestHost h : tb.hosts()) {
                log.verbose(h.name());
                before.put(h.name(), log.execs(h.name()));
            }
            ProcResult c = moat("check", MoatCli.hardenInference(), "-i", inventory.toString());
            assertEquals(0, c.exitCode(), c.describe());
            // Issue 15: one exec per host, counted by the host's sshd: no lock (nothing changes), the
            // check_mode: false read of sshd's ports inside the read script, and the ufw task that
            // uses its output read in that same script.
            for (TestHost h : tb.hosts()) assertEquals(1, log.execs(h.name()) - before.get(h.name()), h.name() + ": exec requests of a no-op check");
        } finally {
            for (TestHost h : tb.hosts()) log.quiet(h.name());
        }
    }

    @Test
    @Order(7)
    void aCertificateRenewalAndAnNginxRestartAreNoDrift() throws Exception {
        String certBefore = tb.execOk("h1", "sha256sum /etc/letsencrypt/live/vllm.h1.test/cert.pem");
        tb.execOk("h1", "REQUESTS_CA_BUNDLE=/etc/moat/acme-ca.pem certbot renew --force-renewal --no-random-sleep-on-renew -q");
        assertNotEquals(certBefore, tb.execOk("h1", "sha256sum /etc/letsencrypt/live/vllm.h1.test/cert.pem"), "renewed");
        tb.execOk("h1", "nginx -s stop; sleep 1; nginx");
        for (int i = 0; i < 2; i++) {
            ProcResult c = moat("check", MoatCli.hardenInference(), "-i", inventory.toString());
            assertEquals(0, c.exitCode(), "check " + (i + 1) + " after a renewal and a restart: " + c.describe());
        }
        Path root = tb.pebbleRoot();
        assertEquals("401", Curl.run("-o", "/dev/null", "-w", "%{http_code}", "--cacert", root.toString(), "--resolve",
                "vllm.h1.test:443:" + tb.host("h1").address(), "https://vllm.h1.test/"), "the vault still serves, on the renewed certificate");
    }
}
