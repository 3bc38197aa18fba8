package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * community.docker's modules on h2 of a {@code --docker} testbed: docker_container (create,
 * converge, recreate on a changed option, rollback back to the saved container, GPU device
 * requests), docker_compose_v2 on the testbed's {@code /opt/ai} project (run by Debian's
 * docker-compose 1.29: stop and its undo, a changed file recreating one service and its undo),
 * docker_image loading a {@code docker save} tarball and docker_network with IPAM; and the
 * loopback rule: a docker_container publishing an AI port on 0.0.0.0 is flagged by
 * {@code moat scan --inside} and refused by harden-inference.yml's {@code exposure} check, the
 * run rolled back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerModulesE2E {
    static final String H = "h2";
    static final String IMAGE = "moat/fake-ai:latest";
    static final String INSPECT = "docker inspect -f '{{.Id}}|{{.Config.Image}}|{{json .Config.Cmd}}|{{json .Config.Env}}|{{json .HostConfig.Binds}}"
            + "|{{json .HostConfig.PortBindings}}|{{.HostConfig.RestartPolicy.Name}}|{{json .Config.Labels}}|{{.State.Running}}' ";

    static Testbed tb;
    static Path dir;
    static Path inventory;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        assumeTrue(tb.docker(), "needs Docker on the hosts: tests/testbed/testbed up 2 --docker");
        dir = Files.createTempDirectory("moat-docker-modules");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, """
                all:
                  hosts:
                    h2: {ansible_host: %s}
                  vars:
                    ansible_user: root
                    ansible_ssh_private_key_file: %s
                    ansible_ssh_common_args: -o UserKnownHostsFile=%s
                """.formatted(tb.host(H).address(), tb.key(), tb.knownHosts()));
        tb.execOk(H, "docker rm -f web e2e-web e2e-vllm e2e-gpu >/dev/null 2>&1; mkdir -p /srv/e2e && echo w > /srv/e2e/w.bin; true");
    }

    @AfterAll
    static void tearDown() {
        if (tb == null || !tb.docker()) return;
        tb.exec(H, "docker rm -f e2e-web e2e-vllm e2e-gpu >/dev/null 2>&1; docker network rm e2e-net >/dev/null 2>&1;"
                + " docker image rm moat/fake-ai:e2e >/dev/null 2>&1; rm -rf /srv/e2e; cd /opt/ai && docker-compose up -d >/dev/null 2>&1");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    static Path playbook(String name, String tasks) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "- hosts: all\n  gather_facts: false\n  tasks:\n" + tasks.indent(4));
        return p;
    }

    static String web(String ports) {
        return """
                - name: web
                  community.docker.docker_container:
                    name: e2e-web
                    image: moat/fake-ai:latest
                    command: ["/bin/busybox", "httpd", "-f", "-p", "9100", "-h", "/www"]
                    published_ports: ["%s"]
                    env: {MODEL: /models/w.bin}
                    labels: {team: ml}
                    volumes: ["/srv/e2e:/models:ro"]
                    restart_policy: unless-stopped
                """.formatted(ports);
    }

    @Test
    @Order(1)
    void aContainerIsCreatedConvergesIsRecreatedOnAChangeAndRolledBackToTheSavedOne() throws Exception {
        Path first = playbook("web.yml", web("127.0.0.1:9100:9100"));
        ProcResult r = moat("apply", first.toString(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("changed: [h2] web"), r.stdout());
        for (int i = 0; i < 25 && !tb.exec(H, "curl -sf -o /dev/null http://127.0.0.1:9100/").ok(); i++) Thread.sleep(200);
        assertEquals("200", tb.execOk(H, "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9100/").strip());
        assertEquals("none", Curl.status(tb.host(H).address(), 9100), "published on loopback only");
        String created = tb.execOk(H, INSPECT + "e2e-web");
        assertTrue(created.contains("|[\"MODEL=/models/w.bin\"]|[\"/srv/e2e:/models:ro\"]|{\"9100/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"9100\"}]}"
                + "|unless-stopped|{\"team\":\"ml\"}|true"), created);

        ProcResult again = moat("apply", first.toString(), "-i", inventory.toString());
        assertTrue(again.stdout().matches("(?s).*\\nh2 +: ok=1 +changed=0 .*"), again.describe());
        assertEquals(0, moat("check", first.toString(), "-i", inventory.toString()).exitCode());

        Path open = playbook("web-open.yml", web("0.0.0.0:9100:9100"));
        ProcResult c = moat("check", open.toString(), "-i", inventory.toString());
        assertEquals(2, c.exitCode(), "drift: " + c.describe());
        ProcResult re = moat("apply", open.toString(), "-i", inventory.toString());
        assertEquals(0, re.exitCode(), re.describe());
        String recreated = tb.execOk(H, INSPECT + "e2e-web");
        assertFalse(recreated.startsWith(created.substring(0, 64)), "a new container");
        assertTrue(recreated.contains("\"HostIp\":\"0.0.0.0\""), recreated);

        ProcResult rb = moat("rollback", "last", "-i", inventory.toString());
        assertEquals(0, rb.exitCode(), rb.describe());
        String back = tb.execOk(H, INSPECT + "e2e-web");
        assertEquals(created.substring(created.indexOf('|')), back.substring(back.indexOf('|')), "the saved container again, bindings included");
        ProcResult rb2 = moat("rollback", "last", "-i", inventory.toString());
        assertEquals(0, rb2.exitCode(), rb2.describe());
        assertFalse(tb.exec(H, "docker container inspect e2e-web").ok(), "the container the first run created is removed");
    }

    @Test
    @Order(2)
    void anAiPortOnEveryAddressIsFlaggedByTheScanAndRefusedByTheExposureCheck() throws Exception {
        tb.execOk(H, "cd /opt/ai && docker-compose stop -t 0 >/dev/null 2>&1");
        String vllm = """
                - name: vllm
                  community.docker.docker_container:
                    name: e2e-vllm
                    image: moat/fake-ai:latest
                    command: ["/bin/busybox", "httpd", "-f", "-p", "8000", "-h", "/www"]
                    published_ports: ["0.0.0.0:8000:8000"]
                """;
        ProcResult r = moat("apply", playbook("vllm.yml", vllm).toString(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        for (int i = 0; i < 25 && !"200".equals(Curl.status(tb.host(H).address(), 8000)); i++) Thread.sleep(200);
        assertEquals("200", Curl.status(tb.host(H).address(), 8000), "0.0.0.0:8000 answers from the bridge");
        ProcResult scan = moat("scan", "-i", inventory.toString(), "--inside", "--timeout-ms", "1500");
        assertEquals(2, scan.exitCode(), scan.describe());
        assertTrue(scan.stdout().contains("container e2e-vllm"), scan.stdout());
        assertEquals(0, moat("rollback", "last", "-i", inventory.toString()).exitCode());
        assertFalse(tb.exec(H, "docker container inspect e2e-vllm").ok());

        // harden-inference.yml's last word on the exposure, after a docker_container in the same run
        String check = """
                - name: Nothing answers on an AI port from other hosts
                  exposure:
                    extra_ports: [8000]
                """;
        ProcResult refused = moat("apply", playbook("vllm-exposure.yml", vllm + check).toString(), "-i", inventory.toString());
        assertEquals(1, refused.exitCode(), refused.describe());
        assertTrue(refused.stdout().contains("8000"), refused.stdout());
        assertFalse(tb.exec(H, "docker container inspect e2e-vllm").ok(), "the failed host was rolled back: the container is gone");
        assertEquals("none", Curl.status(tb.host(H).address(), 8000));
    }

    @Test
    @Order(3)
    void aComposeProjectIsStoppedAndStartedAgainByRollback() throws Exception {
        tb.execOk(H, "cd /opt/ai && docker-compose up -d >/dev/null 2>&1");
        String ids = tb.execOk(H, "docker ps -q --no-trunc --filter label=com.docker.compose.project=ai | sort");
        Path stop = playbook("stop.yml", """
                - name: ai
                  community.docker.docker_compose_v2: {project_src: /opt/ai, state: stopped, services: [ollama], pull: never}
                """);
        Path up = playbook("up.yml", """
                - name: ai
                  community.docker.docker_compose_v2: {project_src: /opt/ai, pull: never}
                """);
        ProcResult conv = moat("apply", up.toString(), "-i", inventory.toString());
        assertTrue(conv.stdout().contains("ok: [h2] ai"), "an up project is converged: " + conv.describe());
        ProcResult r = moat("apply", stop.toString(), "-i", inventory.toString());
        assertTrue(r.stdout().contains("changed: [h2] ai"), r.describe());
        assertEquals("false", tb.execOk(H, "docker inspect -f '{{.State.Running}}' ai_ollama_1").strip());
        assertTrue(moat("apply", stop.toString(), "-i", inventory.toString()).stdout().contains("ok: [h2] ai"));
        assertEquals(2, moat("check", up.toString(), "-i", inventory.toString()).exitCode(), "a stopped service is drift for state present");
        ProcResult rb = moat("rollback", "last", "-i", inventory.toString());
        assertEquals(0, rb.exitCode(), rb.describe());
        assertEquals("true", tb.execOk(H, "docker inspect -f '{{.State.Running}}' ai_ollama_1").strip());
        assertEquals(ids, tb.execOk(H, "docker ps -q --no-trunc --filter label=com.docker.compose.project=ai | sort"), "the same containers");
    }

    @Test
    @Order(4)
    void aChangedComposeFileRecreatesOneServiceAndRollbackPutsBackFileAndContainer() throws Exception {
        String file = tb.execOk(H, "cat /opt/ai/docker-compose.yml");
        String vllmBefore = tb.execOk(H, "docker inspect -f '{{json .Config.Labels}}|{{json .HostConfig.PortBindings}}|{{json .Config.Env}}' ai_vllm_1");
        String others = tb.execOk(H, "docker inspect -f '{{.Id}}' ai_ollama_1 ai_comfyui_1");
        String changed = file.replace("      - \"8000:8000\"", "      - \"127.0.0.1:8000:8000\"");
        assertTrue(!changed.equals(file), file);
        Files.writeString(dir.resolve("ai.yml"), changed);
        Path p = playbook("ai-changed.yml", """
                - copy: {src: %s, dest: /opt/ai/docker-compose.yml}
                - name: ai
                  community.docker.docker_compose_v2: {project_src: /opt/ai, pull: never}
                  register: r
                """.formatted(dir.resolve("ai.yml")));
        ProcResult r = moat("apply", p.toString(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("changed: [h2] ai"), r.stdout());
        assertTrue(tb.execOk(H, "docker inspect -f '{{json .HostConfig.PortBindings}}' ai_vllm_1").contains("127.0.0.1"));
        assertEquals(others, tb.execOk(H, "docker inspect -f '{{.Id}}' ai_ollama_1 ai_comfyui_1"), "only vllm is recreated");
        assertTrue(moat("apply", p.toString(), "-i", inventory.toString()).stdout().matches("(?s).*\\nh2 +: ok=2 +changed=0 .*"));
        ProcResult rb = moat("rollback", "last", "-i", inventory.toString());
        assertEquals(0, rb.exitCode(), rb.describe());
        assertEquals(file, tb.execOk(H, "cat /opt/ai/docker-compose.yml"));
        assertEquals(vllmBefore, tb.execOk(H, "docker inspect -f '{{json .Config.Labels}}|{{json .HostConfig.PortBindings}}|{{json .Config.Env}}' ai_vllm_1"));
        ProcResult up = moat("check", playbook("up2.yml", """
                - name: ai
                  community.docker.docker_compose_v2: {project_src: /opt/ai, pull: never}
                """).toString(), "-i", inventory.toString());
        assertEquals(0, up.exitCode(), "Compose sees the restored container as its own again: " + up.describe());
    }

    @Test
    @Order(5)
    void anImageLoadedFromATarballAndANetworkWithIpamAreMadeOnceAndRemovedByRollback() throws Exception {
        tb.execOk(H, "docker tag " + IMAGE + " moat/fake-ai:e2e && docker save moat/fake-ai:e2e -o /srv/e2e/fake-e2e.tar && docker image rm moat/fake-ai:e2e >/dev/null");
        Path p = playbook("image-net.yml", """
                - name: image
                  community.docker.docker_image: {name: moat/fake-ai, tag: e2e, source: load, load_path: /srv/e2e/fake-e2e.tar}
                - name: net
                  community.docker.docker_network:
                    name: e2e-net
                    ipam_config: [{subnet: 172.30.7.0/24, gateway: 172.30.7.1}]
                - name: gpu
                  community.docker.docker_container:
                    name: e2e-gpu
                    image: moat/fake-ai:e2e
                    state: present
                    networks: [{name: e2e-net}]
                    device_requests: [{driver: nvidia, count: -1, capabilities: [[gpu]]}]
                """);
        ProcResult r = moat("apply", p.toString(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().matches("(?s).*\\nh2 +: ok=3 +changed=3 .*"), r.stdout());
        assertEquals("172.30.7.0/24 172.30.7.1", tb.execOk(H, "docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}' e2e-net").strip());
        assertEquals("[{\"Driver\":\"nvidia\",\"Count\":-1,\"DeviceIDs\":null,\"Capabilities\":[[\"gpu\"]],\"Options\":{}}]|e2e-net|moat/fake-ai:e2e",
                tb.execOk(H, "docker inspect -f '{{json .HostConfig.DeviceRequests}}|{{.HostConfig.NetworkMode}}|{{.Config.Image}}' e2e-gpu").strip());
        ProcResult again = moat("apply", p.toString(), "-i", inventory.toString());
        assertTrue(again.stdout().matches("(?s).*\\nh2 +: ok=3 +changed=0 .*"), again.describe());
        ProcResult rb = moat("rollback", "last", "-i", inventory.toString());
        assertEquals(0, rb.exitCode(), rb.describe());
        assertFalse(tb.exec(H, "docker container inspect e2e-gpu").ok());
        assertFalse(tb.exec(H, "docker network inspect e2e-net").ok());
        assertFalse(tb.exec(H, "docker image inspect moat/fake-ai:e2e").ok());
        assertTrue(tb.exec(H, "docker image inspect " + IMAGE).ok(), "the image the tag shared stays");
    }

    @Test
    @Order(6)
    void fetchCopiesAHostFileToTheControllerOnlyWhenItDiffers() throws Exception {
        tb.execOk(H, "printf 'model: llama\\n' > /srv/e2e/model.conf");
        Path p = playbook("fetch.yml", """
                - name: fetch
                  fetch: {src: /srv/e2e/model.conf, dest: %s}
                - name: fetch flat
                  fetch: {src: /srv/e2e/model.conf, dest: %s/flat/, flat: true}
                """.formatted(dir.resolve("fetched"), dir.resolve("fetched")));
        ProcResult c = moat("apply", p.toString(), "-i", inventory.toString(), "--check");
        assertTrue(c.stdout().matches("(?s).*\\nh2 +: ok=0 +changed=0 .*skipped=2 .*"), "skipped in check mode, as Ansible: " + c.describe());
        assertFalse(Files.exists(dir.resolve("fetched")));
        ProcResult r = moat("apply", p.toString(), "-i", inventory.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("model: llama\n", Files.readString(dir.resolve("fetched/h2/srv/e2e/model.conf")));
        assertEquals("model: llama\n", Files.readString(dir.resolve("fetched/flat/model.conf")));
        ProcResult again = moat("apply", p.toString(), "-i", inventory.toString());
        assertTrue(again.stdout().matches("(?s).*\\nh2 +: ok=2 +changed=0 .*"), again.describe());
        ProcResult missing = moat("apply", playbook("fetch-missing.yml", "- fetch: {src: /srv/e2e/nope, dest: /tmp}\n").toString(), "-i", inventory.toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stdout().contains("the remote file does not exist, not transferring, ignored"), missing.stdout());
        tb.execOk(H, "printf 'model: mistral\\n' > /srv/e2e/model.conf");
        assertEquals(0, moat("apply", p.toString(), "-i", inventory.toString()).exitCode());
        assertEquals("model: mistral\n", Files.readString(dir.resolve("fetched/flat/model.conf")));
    }
}
