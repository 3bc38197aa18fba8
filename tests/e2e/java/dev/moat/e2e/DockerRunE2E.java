package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * Issue 16's acceptance on h1, from outside the host through the bridge: the ways AI servers are
 * really started besides a Compose "PORT:PORT" — {@code docker run -p 8000:8000} (as vLLM's docs
 * do) with a volume, an env var, a restart policy and a label; {@code docker run -p
 * 0.0.0.0:11434:11434} from a start-up script ({@code /etc/rc.local}: testbed hosts have no
 * systemd); a Compose service on {@code "[::]:8188:8188"}; a {@code network_mode: host} service
 * on 7860; a host process on 0.0.0.0:5000. harden-inference.yml must close each, keep the
 * recreated containers' configuration, guard ports published later (DOCKER-USER under UFW's
 * route rules), converge on a rerun, and roll back exactly; a container it cannot recreate safely
 * fails the run and is rolled back, never reported as success.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerRunE2E {
    static final String PASSWORD = "e2e-vault-" + Long.toHexString(System.nanoTime());
    static final String IMAGE = "moat/fake-ai:latest";
    static final String HTTPD = "/bin/busybox httpd -f -h /www -p ";
    static final String RC_LOCAL = "#!/bin/sh -e\n# started at boot, as a vendor's guide has it\n"
            + "docker start raw-ollama 2>/dev/null || docker run -d --name raw-ollama -p 0.0.0.0:11434:11434 " + IMAGE + " " + HTTPD + "11434\n"
            + "exit 0\n";
    static final String V6_COMPOSE = """
            services:
              comfyui:
                image: moat/fake-ai:latest
                command: ["/bin/busybox", "httpd", "-f", "-p", "8188", "-h", "/www"]
                stop_signal: SIGKILL
                ports:
                  - "[::]:8188:8188"
              webui:
                image: moat/fake-ai:latest
                command: ["/bin/busybox", "httpd", "-f", "-p", "7860", "-h", "/www"]
                stop_signal: SIGKILL
                network_mode: host
            """;
    /** What must survive a recreation, as docker inspect reports it. */
    static final String SAME = "docker inspect -f '{{.Config.Image}}|{{json .Config.Cmd}}|{{json .Config.Entrypoint}}|{{json .Config.Env}}"
            + "|{{json .Mounts}}|{{json .HostConfig.RestartPolicy}}|{{json .Config.Labels}}|{{.Name}}' ";
    static final String BINDINGS = "docker inspect -f '{{.Name}} {{json .HostConfig.PortBindings}}' raw-vllm raw-ollama";
    static final String FILES = "/etc/ufw/after.rules /etc/ufw/after6.rules /etc/rc.local /opt/v6/docker-compose.yml"
            + " /etc/systemd/system/ollama-host.service /etc/ollama/env";
    /** An Ollama run by systemd on every address, as its Linux guide's override does (testbed hosts run no systemd: files only). */
    static final String UNIT = "[Unit]\nDescription=Ollama\n[Service]\nExecStart=/usr/local/bin/ollama serve\n"
            + "Environment=\"OLLAMA_HOST=0.0.0.0\"\nEnvironmentFile=-/etc/ollama/env\n[Install]\nWantedBy=multi-user.target\n";

    static Testbed tb;
    static TestHost h1;
    static Path dir;
    static Path inventory;
    static Map<String, String> env;
    static String configBefore;
    static String bindingsBefore;
    static String filesBefore;
    static boolean applied;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        assumeTrue(tb.docker(), "needs Docker on the hosts: tests/testbed/testbed up 3 --docker");
        h1 = tb.host("h1");
        dir = Files.createTempDirectory("moat-dockerrun");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString(), "MOAT_VAULT_PASSWORD", PASSWORD);
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, """
                all:
                  hosts:
                    h1: {ansible_host: %s}
                  vars:
                    ansible_user: root
                    ansible_ssh_private_key_file: %s
                    ansible_ssh_common_args: -o UserKnownHostsFile=%s
                    acme_email: ops@lab.test
                    acme_server: %s
                    acme_ca_bundle: %s
                    vault_services:
                      - {name: vllm, port: 8000, domain: vllm.h1.test}
                      - {name: ollama, port: 11434, domain: ollama.h1.test}
                """.formatted(h1.address(), tb.key(), tb.knownHosts(), tb.pebbleDirectoryUrl(), tb.pebbleListenerCert()));
        // The testbed's own Compose project holds 8000, 11434 and 8188: it steps aside for this test.
        tb.execOk("h1", "cd /opt/ai && docker-compose stop -t 0 >/dev/null 2>&1");
        tb.execOk("h1", "mkdir -p /srv/models /opt/v6 && echo weights > /srv/models/w.bin"
                + " && docker run -d --name raw-vllm -p 8000:8000 -v /srv/models:/models -e MODEL=/models/w.bin"
                + " --restart unless-stopped -l team=ml " + IMAGE + " " + HTTPD + "8000 >/dev/null");
        tb.put("h1", RC_LOCAL, "/etc/rc.local");
        tb.execOk("h1", "mkdir -p /etc/ollama");
        tb.put("h1", UNIT, "/etc/systemd/system/ollama-host.service");
        tb.put("h1", "OLLAMA_HOST=0.0.0.0:11434\nOLLAMA_MODELS=/srv/models\n", "/etc/ollama/env");
        tb.execOk("h1", "chmod 755 /etc/rc.local && /etc/rc.local >/dev/null");
        tb.put("h1", V6_COMPOSE, "/opt/v6/docker-compose.yml");
        tb.execOk("h1", "cd /opt/v6 && docker-compose up -d >/dev/null 2>&1");
        tb.execOk("h1", "mkdir -p /tmp/www5000 && echo hi > /tmp/www5000/index.html && cd /tmp/www5000"
                + " && (setsid python3 -m http.server 5000 --bind 0.0.0.0 >/dev/null 2>&1 & echo $! > /tmp/www5000.pid)");
        tb.execOk("h1", "ufw default deny incoming >/dev/null && ufw allow 22/tcp >/dev/null && ufw --force enable >/dev/null");
        for (int i = 0; i < 50 && !tb.exec("h1", "curl -sf -o /dev/null http://127.0.0.1:5000/ && curl -sf -o /dev/null http://127.0.0.1:7860/").ok(); i++) {
            Thread.sleep(200);
        }
        configBefore = tb.execOk("h1", SAME + "raw-vllm raw-ollama");
        bindingsBefore = tb.execOk("h1", BINDINGS);
        filesBefore = tb.execOk("h1", "sha256sum " + FILES);
    }

    @AfterAll
    static void tearDown() {
        if (tb == null || !tb.docker()) return;
        if (applied) {
            for (int i = 0; i < 5; i++) {
                ProcResult r = moat("rollback", "last", "-i", inventory.toString(), "--force");
                if (r.exitCode() != 0) break;
            }
        }
        tb.exec("h1", "docker rm -f raw-vllm raw-ollama late shared data >/dev/null 2>&1; cd /opt/v6 && docker-compose down -t 0 >/dev/null 2>&1;"
                + " rm -rf /opt/v6 /srv/models /etc/rc.local /etc/ollama /etc/systemd/system/ollama-host.service; kill $(cat /tmp/www5000.pid) 2>/dev/null; rm -rf /tmp/www5000 /tmp/www5000.pid;"
                + " ufw --force reset >/dev/null; ufw --force disable >/dev/null; rm -f /etc/ufw/*.rules.20*;"
                + " cd /opt/ai && docker-compose start >/dev/null 2>&1");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    @Test
    @Order(1)
    void beforeTheScanReportsEachAndDockersPortsAnswerThroughUfw() throws Exception {
        assertEquals("200", Curl.status(h1.address(), 8000), "docker run -p 8000:8000 bypasses UFW");
        assertEquals("200", Curl.status(h1.address(), 11434), "docker run -p 0.0.0.0:11434:11434 bypasses UFW");
        ProcResult r = moat("scan", "-i", inventory.toString(), "--inside", "--timeout-ms", "1500");
        assertEquals(2, r.exitCode(), r.describe());
        String out = r.stdout();
        for (String s : List.of("container raw-vllm", "container raw-ollama", "dnat 8000", "dnat 11434", "compose /opt/v6/docker-compose.yml",
                "listener [::]:8188", ":7860", ":5000")) {
            assertTrue(out.contains(s), s + " in\n" + out);
        }
    }

    @Test
    @Order(2)
    void hardeningClosesEveryWayInAndKeepsTheContainersAsTheyWere() throws Exception {
        ProcResult r = moat("apply", MoatCli.hardenInference(), "-i", inventory.toString());
        applied = true;
        assertEquals(0, r.exitCode(), r.describe());
        assertFalse(r.stdout().contains(PASSWORD), "the vault password is never printed");
        assertTrue(r.stdout().contains("changed: [h1] Publish ports of containers started outside Compose on loopback only"), r.stdout());
        assertTrue(r.stdout().contains("ok: [h1] Nothing answers on an AI port from other hosts"), r.stdout());
        for (int port : new int[] {8000, 11434, 8188, 7860, 5000}) assertEquals("none", Curl.status(h1.address(), port), port + " must not answer from outside");
        for (int port : new int[] {8000, 11434}) {
            assertEquals("200", tb.execOk("h1", "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:" + port + "/").strip(), "still served on loopback");
        }
        assertEquals(configBefore, tb.execOk("h1", SAME + "raw-vllm raw-ollama"), "image, command, env, volumes, restart policy, labels, names");
        String bindings = tb.execOk("h1", BINDINGS);
        assertTrue(bindings.contains("/raw-vllm {\"8000/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8000\"}]}"), bindings);
        assertTrue(bindings.contains("/raw-ollama {\"11434/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"11434\"}]}"), bindings);
        assertTrue(tb.execOk("h1", "cat /etc/rc.local").contains("-p 127.0.0.1:11434:11434"), "the start-up script is patched too");
        assertTrue(tb.execOk("h1", "cat /etc/systemd/system/ollama-host.service").contains("Environment=\"OLLAMA_HOST=127.0.0.1\"\n"));
        assertEquals("OLLAMA_HOST=127.0.0.1:11434\nOLLAMA_MODELS=/srv/models\n", tb.execOk("h1", "cat /etc/ollama/env"));
        assertTrue(tb.execOk("h1", "iptables -S DOCKER-USER").contains("-A DOCKER-USER -j ufw-user-forward"));
        Path root = tb.pebbleRoot();
        for (String d : List.of("vllm.h1.test", "ollama.h1.test")) {
            String at = d + ":443:" + h1.address();
            assertEquals("401", Curl.run("-o", "/dev/null", "-w", "%{http_code}", "--cacert", root.toString(), "--resolve", at, "https://" + d + "/"));
            assertEquals("200", Curl.run("-o", "/dev/null", "-w", "%{http_code}", "-u", "apiuser:" + PASSWORD, "--cacert", root.toString(),
                    "--resolve", at, "https://" + d + "/"), d);
        }
    }

    @Test
    @Order(3)
    void aRerunChangesNothingCheckIsInSyncAndTheScanFindsNothingExposed() {
        ProcResult r = moat("apply", MoatCli.hardenInference(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().matches("(?s).*\\nh1 +: ok=\\d+ +changed=0 .*"), r.stdout());
        ProcResult c = moat("check", MoatCli.hardenInference(), "-i", inventory.toString());
        assertEquals(0, c.exitCode(), c.describe());
        ProcResult s = moat("scan", "-i", inventory.toString(), "--inside", "--ca-file", tb.pebbleRoot().toString(), "--timeout-ms", "1500");
        assertEquals(0, s.exitCode(), s.describe());
        assertTrue(s.stdout().contains("1 host(s): 0 EXPOSED, 0 FAIL"), s.stdout());
    }

    @Test
    @Order(4)
    void aContainerPublishedAfterHardeningAnswersOnlyWhereUfwRoutesItsPort() throws Exception {
        tb.execOk("h1", "docker run -d --name late -p 8001:8000 " + IMAGE + " " + HTTPD + "8000 >/dev/null");
        for (int i = 0; i < 25 && !tb.exec("h1", "curl -sf -o /dev/null http://127.0.0.1:8001/").ok(); i++) Thread.sleep(200);
        assertEquals("none", Curl.status(h1.address(), 8001), "the DOCKER-USER guard drops it");
        // Docker rewrites 8001 to the container's 8000 before UFW's FORWARD rules see the packet,
        // so an input rule for the host port cannot open it; a route rule for the container's port does.
        tb.execOk("h1", "ufw allow 8001/tcp >/dev/null");
        assertEquals("none", Curl.status(h1.address(), 8001), "ufw allow 8001/tcp is an INPUT rule: DNATed traffic never meets it");
        tb.execOk("h1", "ufw delete allow 8001/tcp >/dev/null && ufw route allow proto tcp to any port 8000 >/dev/null");
        assertEquals("200", Curl.status(h1.address(), 8001), "ufw route allow ... port 8000 opens it");
        tb.execOk("h1", "ufw route delete allow proto tcp to any port 8000 >/dev/null");
        assertEquals("none", Curl.status(h1.address(), 8001), "and deleting the rule closes it again");
        ProcResult c = moat("check", MoatCli.hardenInference(), "-i", inventory.toString());
        assertEquals(2, c.exitCode(), "a new container on 0.0.0.0 is drift: " + c.describe());
        tb.execOk("h1", "docker rm -f late >/dev/null");
    }

    @Test
    @Order(5)
    void rollbackBringsBackTheOriginalContainersAndFilesExactly() throws Exception {
        ProcResult r = moat("rollback", "last", "-i", inventory.toString(), "--force");
        assertEquals(0, r.exitCode(), r.describe());
        applied = false;
        assertEquals(bindingsBefore, tb.execOk("h1", BINDINGS));
        assertEquals(configBefore, tb.execOk("h1", SAME + "raw-vllm raw-ollama"));
        assertEquals(filesBefore, tb.execOk("h1", "sha256sum " + FILES));
        assertEquals("", tb.execOk("h1", "iptables -S DOCKER-USER | grep ufw-user-forward || true").strip());
        assertEquals("200", Curl.status(h1.address(), 8000), "exactly as before, exposure included");
    }

    @Test
    @Order(6)
    void aContainerMoatCannotRecreateFailsTheRunByNameAndIsRolledBack() throws Exception {
        // --privileged cannot run in a testbed host (no capabilities to hand out); --volumes-from is refused the same way.
        tb.execOk("h1", "docker create --name data -v /data " + IMAGE + " true >/dev/null"
                + " && docker run -d --name shared --volumes-from data -p 6006:6006 " + IMAGE + " " + HTTPD + "6006 >/dev/null");
        String before = tb.execOk("h1", BINDINGS + " shared; sha256sum " + FILES);
        ProcResult r = moat("apply", MoatCli.hardenInference(), "-i", inventory.toString());
        assertNotEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("shared publishes") && r.stdout().contains("6006") && r.stdout().contains("--volumes-from"), r.stdout());
        assertTrue(r.stdout().contains("rolled back"), r.stdout());
        assertEquals(before, tb.execOk("h1", BINDINGS + " shared; sha256sum " + FILES), "the host is as it was");
        tb.execOk("h1", "docker rm -f shared data >/dev/null");
    }
}
