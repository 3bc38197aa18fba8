package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code moat scan} on the testbed ({@code up N --docker}: fake vLLM/Ollama/ComfyUI published as
 * "PORT:PORT" by docker compose in /opt/ai). Before hardening, the outside-in scan reports 8000,
 * 11434 and 8188 EXPOSED on every host even with UFW active (the Docker bypass), and
 * {@code --inside} names the compose file and the DNAT rules. When playbooks/harden-inference.yml
 * exists, it is applied and the scan must then find nothing exposed and the vault's HTTPS checks
 * pass (certificates from the testbed's Pebble); the run is rolled back with moat afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScanE2E {
    static final ObjectMapper JSON = new ObjectMapper();
    static Testbed tb;
    static Path dir;
    static Path inventory;
    static Map<String, String> env;
    static boolean applied;

    @BeforeAll
    static void setUp() throws IOException {
        tb = Testbed.fromEnv();
        assumeTrue(tb.docker(), "needs the fake AI services: tests/testbed/testbed up 3 --docker");
        dir = Files.createTempDirectory("moat-scan-e2e");
        // The testbed's inventory, with each host's vault_services beside it in host_vars/.
        inventory = dir.resolve("inventory.yml");
        Files.copy(tb.inventory(), inventory);
        Files.createDirectories(dir.resolve("host_vars"));
        for (TestHost h : tb.hosts()) {
            Files.writeString(dir.resolve("host_vars/" + h.name() + ".yml"), "vault_services:\n"
                    + "  - {name: vllm, port: 8000, domain: api." + h.name() + ".test}\n");
        }
        env = Map.of("MOAT_HOME", dir.resolve("home").toString(), "MOAT_VAULT_PASSWORD", "e2e-vault-password");
    }

    @AfterAll
    static void tearDown() {
        if (!applied) return;
        for (int i = 0; i < 5; i++) {
            ProcResult r = moat("rollback", "last", "-i", inventory.toString(), "--force");
            if (r.exitCode() == 64 && r.stderr().contains("no earlier run left anything")) break;
            assertEquals(0, r.exitCode(), r.describe());
        }
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(10), args);
    }

    static List<JsonNode> findings(ProcResult r) {
        List<JsonNode> out = new ArrayList<>();
        for (String l : r.stdout().split("\n")) {
            if (l.isBlank()) continue;
            try {
                JsonNode n = JSON.readTree(l);
                if (n.path("event").asText().equals("finding")) out.add(n);
            } catch (IOException e) {
                throw new AssertionError("--json printed a line that is not JSON: " + l, e);
            }
        }
        return out;
    }

    static JsonNode find(List<JsonNode> fs, String host, String check) {
        return fs.stream().filter(f -> f.path("host").asText().equals(host) && f.path("check").asText().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + check + " on " + host + " in:\n" + show(fs)));
    }

    static String show(List<JsonNode> fs) {
        return fs.stream().map(JsonNode::toString).collect(Collectors.joining("\n"));
    }

    @Test
    @Order(1)
    void beforeHardeningEveryAiPortIsExposedEvenBehindUfw() {
        withUfwEnabledOnAll(0, () -> {
            ProcResult r = moat("scan", "-i", inventory.toString(), "--json", "--timeout-ms", "1500");
            assertEquals(2, r.exitCode(), r.describe());
            List<JsonNode> fs = findings(r);
            for (TestHost h : tb.hosts()) {
                assertTrue(find(fs, h.name(), "port 8000").path("detail").asText().startsWith("OpenAI-compatible"), show(fs));
                assertTrue(find(fs, h.name(), "port 11434").path("detail").asText().startsWith("Ollama"), show(fs));
                assertTrue(find(fs, h.name(), "port 8188").path("detail").asText().startsWith("ComfyUI"), show(fs));
                for (String p : List.of("8000", "11434", "8188")) {
                    assertEquals("EXPOSED", find(fs, h.name(), "port " + p).path("verdict").asText(), h.name() + " " + p);
                }
                // UFW does stop what Docker does not publish.
                assertTrue(find(fs, h.name(), "port 7860").path("detail").asText().startsWith("filtered"), show(fs));
                assertEquals("FAIL", find(fs, h.name(), "vault api." + h.name() + ".test").path("verdict").asText(), "no vault yet");
            }
        });
    }

    @Test
    @Order(2)
    void insideNamesTheComposeFileAndTheDnatRules() {
        withUfwEnabledOnAll(0, () -> {
            ProcResult r = moat("scan", "-i", inventory.toString(), "--inside", "--json", "--timeout-ms", "1500");
            assertEquals(2, r.exitCode(), r.describe());
            List<JsonNode> fs = findings(r);
            for (TestHost h : tb.hosts()) {
                for (String[] svc : new String[][] {{"vllm", "8000"}, {"ollama", "11434"}, {"comfyui", "8188"}}) {
                    JsonNode compose = fs.stream().filter(f -> f.path("host").asText().equals(h.name())
                            && f.path("check").asText().equals("compose /opt/ai/docker-compose.yml")
                            && f.path("detail").asText().startsWith("service " + svc[0] + " publishes \"" + svc[1] + ":" + svc[1] + "\""))
                            .findFirst().orElseThrow(() -> new AssertionError("compose finding for " + svc[0] + " on " + h.name() + ":\n" + show(fs)));
                    assertEquals("EXPOSED", compose.path("verdict").asText());
                    assertTrue(compose.path("fix").asText().startsWith("compose_ports"), compose.toString());
                    JsonNode dnat = find(fs, h.name(), "dnat " + svc[1]);
                    assertEquals("EXPOSED", dnat.path("verdict").asText());
                    assertTrue(dnat.path("detail").asText().contains("--dport " + svc[1]) && dnat.path("detail").asText().contains("-j DNAT"), dnat.toString());
                    assertTrue(dnat.path("detail").asText().contains("ufw status shows no ALLOW for " + svc[1] + ", yet Docker forwards it"), dnat.toString());
                    assertTrue(fs.stream().anyMatch(f -> f.path("host").asText().equals(h.name()) && f.path("check").asText().startsWith("container ")
                            && f.path("detail").asText().contains(":" + svc[1]) && f.path("verdict").asText().equals("EXPOSED")), show(fs));
                }
                assertTrue(find(fs, h.name(), "ufw").path("detail").asText().startsWith("active"), show(fs));
            }
            assertTrue(fs.stream().noneMatch(f -> f.path("check").asText().equals("ssh") || f.path("check").asText().equals("inside")), show(fs));
        });
    }

    @Test
    @Order(3)
    void afterHardeningNothingIsExposedAndTheVaultHolds() {
        Path playbook = MoatCli.root().resolve("playbooks/harden-inference.yml");
        assumeTrue(Files.isRegularFile(playbook), "playbooks/harden-inference.yml is not in this tree yet");
        ProcResult apply = moat("apply", playbook.toString(), "-i", inventory.toString(),
                "-e", "acme_email=ops@example.test", "-e", "acme_server=" + tb.pebbleDirectoryUrl(),
                "-e", "acme_ca_bundle=" + tb.pebbleListenerCert());
        applied = true;
        assertEquals(0, apply.exitCode(), apply.describe());
        ProcResult r = moat("scan", "-i", inventory.toString(), "--json", "--inside", "--ca-file", tb.pebbleRoot().toString(), "--timeout-ms", "1500");
        List<JsonNode> fs = findings(r);
        assertTrue(fs.stream().noneMatch(f -> f.path("verdict").asText().equals("EXPOSED") || f.path("verdict").asText().equals("FAIL")), show(fs));
        assertEquals(0, r.exitCode(), r.describe());
        for (TestHost h : tb.hosts()) {
            String d = "api." + h.name() + ".test";
            assertEquals("OK", find(fs, h.name(), "tls " + d).path("verdict").asText());
            assertTrue(find(fs, h.name(), "vault " + d).path("detail").asText().startsWith("401 without credentials"), show(fs));
            assertTrue(find(fs, h.name(), "http " + d).path("detail").asText().startsWith("redirects (301) to https://"), show(fs));
            for (String p : List.of("8000", "11434", "8188")) {
                assertTrue(fs.stream().anyMatch(f -> f.path("host").asText().equals(h.name()) && f.path("check").asText().equals("port " + p)
                        && f.path("verdict").asText().equals("OK")), h.name() + " " + p + ":\n" + show(fs));
            }
        }
    }

    /** Enables UFW (deny incoming, allow SSH) on every host from index i on, runs body, then restores each host's UFW files and state. */
    private static void withUfwEnabledOnAll(int i, Runnable body) {
        if (i == tb.hosts().size()) {
            body.run();
            return;
        }
        TestHost h = tb.hosts().get(i);
        tb.execOk(h.name(), "rm -rf /run/e2e-scan-ufw && mkdir -p /run/e2e-scan-ufw"
                + " && cp -a /etc/ufw /run/e2e-scan-ufw/etc-ufw && cp -a /etc/default/ufw /run/e2e-scan-ufw/default-ufw");
        try {
            tb.execOk(h.name(), "ufw default deny incoming >/dev/null && ufw allow " + h.port() + "/tcp >/dev/null"
                    + " && ufw --force enable >/dev/null && ufw status | grep -q 'Status: active'");
            withUfwEnabledOnAll(i + 1, body);
        } finally {
            tb.execOk(h.name(), "ufw --force disable >/dev/null; rm -rf /etc/ufw"
                    + " && cp -a /run/e2e-scan-ufw/etc-ufw /etc/ufw && cp -a /run/e2e-scan-ufw/default-ufw /etc/default/ufw"
                    + " && rm -rf /run/e2e-scan-ufw && ufw status | grep -q 'Status: inactive'");
        }
    }
}
