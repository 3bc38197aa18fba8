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
 * harden-inference.yml on a host set up the way real ones drift, with its variables set in the
 * inventory (not with -e): {@code tls: false} and {@code compose_search} per host. On h2:
 * <ul>
 *   <li>nginx is not installed (purged), so the playbook really installs it from the lab's apt
 *       repository, and the rollback must purge it with what it pulled in;</li>
 *   <li>a stack started with {@code docker-compose -f /data/stack/vllm.yml} (a name and a place no
 *       search finds) publishes 8001 with the long syntax;</li>
 *   <li>a compose file under {@code /data/extra}, found only through {@code compose_search}, is not
 *       running;</li>
 *   <li>a leftover UFW rule allows 11434: kept (moat adds its baseline), and harmless once Ollama's
 *       container publishes on loopback.</li>
 * </ul>
 * After the run nothing answers from outside, the vault serves on loopback only (no certificate is
 * asked for), a rerun changes nothing, and {@code moat rollback last} puts the host back byte for byte.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HardenVarsE2E {
    static final String HOST = "h2";
    static final String PASSWORD = "e2e-vars-" + Long.toHexString(System.nanoTime());
    static final int[] OUTSIDE = {8000, 11434, 8188, 8001};
    static final String STATE = "ufw status verbose; cat /etc/ufw/user.rules /etc/ufw/user6.rules /etc/default/ufw | sha256sum; "
            + "dpkg-query -W -f='${Package} ${db:Status-Abbrev}\\n' | sort | sha256sum";
    static Testbed tb;
    static TestHost host;
    static Path dir;
    static Path inventory;
    static Map<String, String> env;
    static Listing beforeFiles;
    static String beforeState;

    static final String VLLM = """
            # started by hand: docker-compose -f /data/stack/vllm.yml -p extra up -d
            version: "3.8"
            services:
              extra:
                image: moat/fake-ai:latest
                command: ["/bin/busybox", "httpd", "-f", "-p", "8000", "-h", "/www"]
                stop_signal: SIGKILL
                ports:
                  - target: 8000      # the long syntax
                    published: 8001
                    protocol: tcp
            """;

    static final String GRADIO = """
            services:
              gradio:
                image: moat/fake-ai:latest
                ports: ['7860:7860']   # not running
            """;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        org.junit.jupiter.api.Assumptions.assumeTrue(tb.docker(), "the testbed runs without --docker");
        host = tb.host(HOST);
        dir = Files.createTempDirectory("moat-harden-vars");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString(), "MOAT_VAULT_PASSWORD", PASSWORD);
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, """
                all:
                  children:
                    gpu:
                      hosts:
                        %s:
                          ansible_host: %s
                          tls: false
                          compose_search: [/opt, /data/extra]
                      vars:
                        ansible_user: root
                        ansible_ssh_private_key_file: %s
                        ansible_ssh_common_args: -o UserKnownHostsFile=%s
                        vault_services:
                          - {name: vllm, port: 8000, domain: "vllm.{{ inventory_hostname }}.test"}
                          - {name: ollama, port: 11434, domain: "ollama.{{ inventory_hostname }}.test"}
                """.formatted(HOST, host.address(), tb.key(), tb.knownHosts()));
        tb.execOk(HOST, "DEBIAN_FRONTEND=noninteractive apt-get -y -qq purge nginx nginx-common python3-certbot-nginx >/dev/null 2>&1");
        tb.execOk(HOST, "mkdir -p /data/stack /data/extra");
        tb.put(HOST, VLLM, "/data/stack/vllm.yml");
        tb.put(HOST, GRADIO, "/data/extra/compose.yaml");
        tb.execOk(HOST, "chmod 0644 /data/stack/vllm.yml /data/extra/compose.yaml && cd / && docker-compose -f /data/stack/vllm.yml -p extra up -d >/dev/null 2>&1");
        tb.execOk(HOST, "ufw default deny incoming >/dev/null && ufw allow 22/tcp >/dev/null && ufw allow 11434/tcp >/dev/null"
                + " && ufw --force enable >/dev/null");
        beforeFiles = files();
        beforeState = tb.execOk(HOST, STATE);
    }

    @AfterAll
    static void tearDown() {
        if (tb == null || host == null) return;
        // Should a test have failed before its rollback: put h2 back for the suites that follow.
        for (int i = 0; i < 3; i++) {
            if (moat("rollback", "last", "-i", inventory.toString(), "--force").exitCode() != 0) break;
        }
        tb.exec(HOST, "cd / && docker-compose -f /data/stack/vllm.yml -p extra down >/dev/null 2>&1; rm -rf /data;"
                + " ufw --force reset >/dev/null; ufw --force disable >/dev/null; rm -f /etc/ufw/*.rules.20*;"
                + " DEBIAN_FRONTEND=noninteractive apt-get -y -qq install nginx python3-certbot-nginx >/dev/null 2>&1;"
                + " rm -f /etc/nginx/sites-enabled/moat-* /etc/nginx/sites-available/moat-*");
    }

    static Listing files() {
        return tb.checksumListing(HOST, "/etc", "/opt", "/var/www", "/data");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    @Test
    @Order(1)
    void beforeEveryPortAnswersFromOutside() throws Exception {
        assertTrue(tb.execOk(HOST, "ufw status").contains("Status: active"));
        for (int port : OUTSIDE) assertEquals("200", Curl.status(host.address(), port), HOST + ":" + port + " should be exposed");
    }

    @Test
    @Order(2)
    void hardeningWithInventoryVariablesConverges() {
        ProcResult r = moat("apply", MoatCli.hardenInference(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertFalse(r.stdout().contains(PASSWORD), "the vault password is never printed");
        assertTrue(tb.execOk(HOST, "dpkg-query -W -f='${db:Status-Abbrev}' nginx").startsWith("ii"), "nginx was installed");
        assertFalse(tb.exec(HOST, "test -e /etc/letsencrypt/live").ok(), "tls: false asks for no certificate");
    }

    @Test
    @Order(3)
    void nothingAnswersFromOutsideAndEverythingStillServesOnLoopback() throws Exception {
        for (int port : OUTSIDE) {
            assertEquals("none", Curl.status(host.address(), port), HOST + ":" + port + " must not answer from outside");
            assertEquals("200", tb.execOk(HOST, "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + port + "/").strip(), "port " + port);
        }
        String ufw = tb.execOk(HOST, "ufw status");
        assertTrue(ufw.contains("11434/tcp") && ufw.contains("Status: active"), "the host's own rule is kept:\n" + ufw);
    }

    @Test
    @Order(4)
    void composeFilesOutsideTheDefaultsAreRewritten() {
        assertTrue(tb.execOk(HOST, "cat /data/extra/compose.yaml").contains("ports: ['127.0.0.1:7860:7860']   # not running"));
        String vllm = tb.execOk(HOST, "cat /data/stack/vllm.yml");
        assertTrue(vllm.contains("127.0.0.1:8001:8000"), vllm);
        assertTrue(vllm.startsWith("# started by hand"), vllm);
        assertEquals("127.0.0.1:8001", tb.execOk(HOST, "docker port extra_extra_1 8000/tcp").strip());
    }

    @Test
    @Order(5)
    void theVaultListensOnLoopbackOnlyWithBasicAuth() throws Exception {
        String at = "curl -s -o /dev/null -w '%{http_code}' -H 'Host: vllm." + HOST + ".test' ";
        assertEquals("401", tb.execOk(HOST, at + "http://127.0.0.1/").strip());
        assertEquals("200", tb.execOk(HOST, at + "-u apiuser:" + PASSWORD + " http://127.0.0.1/").strip());
        String outside = Curl.run("-o", "/dev/null", "-w", "%{http_code}", "--resolve", "vllm." + HOST + ".test:80:" + host.address(),
                "http://vllm." + HOST + ".test/");
        assertNotEquals("401", outside, "Basic Auth is never asked over plain HTTP on a public port");
    }

    @Test
    @Order(6)
    void aRerunChangesNothingAndCheckFindsNoDrift() {
        ProcResult r = moat("apply", MoatCli.hardenInference(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().matches("(?s).*\\n" + HOST + " +: ok=\\d+ +changed=0 .*"), r.stdout());
        assertEquals(0, moat("check", MoatCli.hardenInference(), "-i", inventory.toString()).exitCode());
    }

    @Test
    @Order(7)
    void rollbackPutsTheHostBackByteForByte() throws Exception {
        ProcResult rb = moat("rollback", "last", "-i", inventory.toString());
        assertEquals(0, rb.exitCode(), rb.describe());
        assertEquals(List.of(), beforeFiles.differences(files()), "moat rollback last restored the files of " + HOST);
        assertEquals(beforeState, tb.execOk(HOST, STATE), "firewall and packages as before");
        for (int port : List.of(8001, 11434)) assertEquals("200", Curl.status(host.address(), port), "exposed again: " + port);
    }
}
