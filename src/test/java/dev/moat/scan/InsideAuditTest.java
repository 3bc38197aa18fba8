package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.moat.compose.ComposeFile;
import dev.moat.compose.ComposeFiles;

/** The inside audit's parser and rules, from fixture outputs of the audit script. */
class InsideAuditTest {
    static final Set<Integer> AI = new LinkedHashSet<>(ScanSettings.AI_PORTS);

    static AuditOutput fixture(String name) throws IOException {
        try (InputStream in = InsideAuditTest.class.getResourceAsStream("/scan/" + name)) {
            return AuditOutput.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static List<Finding> findings(String fixture) throws IOException {
        return InsideAudit.findings("h1", fixture(fixture), AI);
    }

    static Finding one(List<Finding> fs, String check, String detailPart) {
        List<Finding> m = fs.stream().filter(f -> f.check().equals(check) && f.detail().contains(detailPart)).toList();
        assertEquals(1, m.size(), "one finding " + check + " ~ " + detailPart + " in\n" + fs.stream().map(Finding::toString).collect(Collectors.joining("\n")));
        return m.get(0);
    }

    @Test
    void theDockerBypassIsNamedFromEveryAngle() throws IOException {
        List<Finding> fs = findings("audit-exposed.txt");
        Finding dnat = one(fs, "dnat 8000", "--dport 8000");
        assertEquals(Verdict.EXPOSED, dnat.verdict());
        assertTrue(dnat.detail().contains("ufw status shows no ALLOW for 8000, yet Docker forwards it"), dnat.detail());
        assertEquals(InsideAudit.FIX_COMPOSE, dnat.fix());
        assertEquals(Verdict.EXPOSED, one(fs, "listener 0.0.0.0:8000", "docker-proxy").verdict());
        assertEquals(Verdict.EXPOSED, one(fs, "listener [::]:8000", "docker-proxy").verdict());
        Finding c = one(fs, "container ai_vllm_1", "8000/tcp on 0.0.0.0:8000");
        assertTrue(c.detail().contains("compose service vllm of /opt/ai/docker-compose.yml"), c.detail());
        for (String svc : List.of("vllm", "ollama", "comfyui")) {
            Finding f = one(fs, "compose /opt/ai/docker-compose.yml", "service " + svc + " ");
            assertEquals(Verdict.EXPOSED, f.verdict());
            assertEquals(InsideAudit.FIX_COMPOSE, f.fix());
        }
        assertTrue(one(fs, "compose /opt/ai/docker-compose.yml", "service comfyui").detail().contains("\"8188:8188\" on every address (line 14)"));
        // Loopback publishes are fine, and the DNAT rule bound to 127.0.0.1 is not reported.
        assertTrue(fs.stream().noneMatch(f -> f.check().equals("dnat 9090") || f.check().contains("prom") || f.detail().contains("8081")), fs.toString());
    }

    @Test
    void aContainerStartedWithDockerRunIsNotMoatsToFix() throws IOException {
        List<Finding> fs = findings("audit-exposed.txt");
        Finding tgi = one(fs, "container tgi", "80/tcp on 0.0.0.0:8080");
        assertEquals(Verdict.EXPOSED, tgi.verdict());
        assertEquals(InsideAudit.FIX_RUN + " (container tgi: -p 127.0.0.1:8080:80)", tgi.fix());
        assertEquals(tgi.fix(), one(fs, "dnat 8080", "172.17.0.2:80").fix());
    }

    @Test
    void hostProcessesOnEveryAddressAreInfoBehindAnActiveUfw() throws IOException {
        List<Finding> fs = findings("audit-exposed.txt");
        Finding gradio = one(fs, "listener 0.0.0.0:7860", "python3 (pid 812)");
        assertEquals(Verdict.INFO, gradio.verdict());
        assertTrue(gradio.detail().contains("UFW active with no ALLOW for 7860 stops it"), gradio.detail());
        Finding ollama = one(fs, "env /etc/systemd/system/ollama.service.d/override.conf:2", "OLLAMA_HOST=0.0.0.0");
        assertEquals(Verdict.INFO, ollama.verdict());
        assertTrue(ollama.fix().startsWith("set OLLAMA_HOST=127.0.0.1:11434 in /etc/systemd/system/ollama.service.d/override.conf"), ollama.fix());
        assertEquals(Verdict.INFO, one(fs, "env process 812", "GRADIO_SERVER_NAME=0.0.0.0").verdict());
        Finding comfy = one(fs, "process 901", "--listen (every address, port 8189)");
        assertTrue(comfy.fix().startsWith("start it with --listen 127.0.0.1"), comfy.fix());
        assertTrue(one(fs, "process 1200", "runs in a container").verdict() == Verdict.INFO);
        assertTrue(fs.stream().noneMatch(f -> f.check().equals("process 1300") || f.check().contains("8888")
                || f.check().contains("/etc/default/lab")), "loopback binds are not findings");
        assertTrue(fs.stream().noneMatch(f -> f.check().contains(":22")), "only AI ports are audited");
    }

    @Test
    void theSameSettingsWithoutUfwAreExposed() throws IOException {
        String text = new String(InsideAuditTest.class.getResourceAsStream("/scan/audit-exposed.txt").readAllBytes(), StandardCharsets.UTF_8)
                .replace("Status: active", "Status: inactive");
        List<Finding> fs = InsideAudit.findings("h1", AuditOutput.parse(text), AI);
        assertEquals(Verdict.EXPOSED, one(fs, "listener 0.0.0.0:7860", "python3").verdict());
        assertEquals(Verdict.EXPOSED, one(fs, "env process 812", "GRADIO_SERVER_NAME").verdict());
        assertEquals(Verdict.EXPOSED, one(fs, "process 901", "--listen").verdict(), "ComfyUI --listen on any port, and nothing stops it");
        assertEquals(Verdict.EXPOSED, one(fs, "process 1500", "--host 0.0.0.0 (every address, port 8001)").verdict(), "vLLM on any port");
        assertEquals(Verdict.INFO, one(fs, "process 1400", "--host 0.0.0.0").verdict(), "not an AI program nor an AI port");
    }

    @Test
    void theEnvBesideAComposeFileFillsInItsVariables() throws IOException {
        List<Finding> fs = findings("audit-envfile.txt");
        Finding vllm = one(fs, "compose /home/u/projects/app/compose.yml", "\"${HOST_IP:-127.0.0.1}:8000:8000\"");
        assertEquals(Verdict.EXPOSED, vllm.verdict());
        assertTrue(vllm.detail().contains("on 0.0.0.0"), vllm.detail());
        Finding ollama = one(fs, "compose /home/u/projects/app/compose.yml", "target: 11434");
        assertEquals(Verdict.INFO, ollama.verdict(), "published on 11435 (from .env), not an AI port: " + ollama);
        assertTrue(fs.stream().noneMatch(f -> f.check().equals("compose /opt/safe/compose.yml")), "no .env there: the default 127.0.0.1 holds");
        ComposeFiles files = fixture("audit-envfile.txt").composeFiles();
        assertEquals(List.of("/home/u/projects/app/compose.yml", "/opt/safe/compose.yml"), files.files().stream().map(ComposeFile::path).toList());
        String text = files.files().get(0).text();
        assertTrue(text.contains("host_ip: ${HOST_IP:-127.0.0.1}\n") && !text.contains("HOST_IP=0.0.0.0"), "the .env is not part of the compose text: " + text);
        assertEquals("0.0.0.0", files.files().get(0).env().get("HOST_IP"), "the .env's variables come with the file");
    }

    @Test
    void ollamaHostInAnEnvironmentFileAnywhereIsFound() throws IOException {
        List<Finding> fs = findings("audit-envfile.txt");
        Finding all = one(fs, "env /etc/ollama/env:2", "OLLAMA_HOST=0.0.0.0");
        assertEquals(Verdict.EXPOSED, all.verdict());
        assertTrue(all.fix().startsWith("set OLLAMA_HOST=127.0.0.1:11434 in /etc/ollama/env"), all.fix());
        assertEquals(Verdict.EXPOSED, one(fs, "env /etc/ollama/gpu1.env:1", "OLLAMA_HOST=:11434").verdict(), "an empty host is every address");
        assertEquals(Verdict.EXPOSED, one(fs, "env /etc/ollama/gpu2.env:1", "OLLAMA_HOST=[::]:11500").verdict());
        assertTrue(fs.stream().noneMatch(f -> f.check().contains("local.env") || f.check().contains("ollama.service")), fs.toString());
    }

    @Test
    void aHardenedHostHasNothingExposed() throws IOException {
        List<Finding> fs = findings("audit-hardened.txt");
        assertTrue(fs.stream().noneMatch(f -> f.verdict().bad()), fs.toString());
        assertEquals("active, 6 ALLOW rule(s)", one(fs, "ufw", "active").detail());
    }

    @Test
    void aMissingDockerChainIsSaidForBothIptablesBackends() throws IOException {
        String hardened;
        try (InputStream in = InsideAuditTest.class.getResourceAsStream("/scan/audit-hardened.txt")) {
            hardened = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int from = hardened.indexOf("@@section dnat\n"), to = hardened.indexOf("@@section", from + 1);
        // what each backend prints for `iptables -t nat -S DOCKER` on a host without Docker's chain (recorded on the testbed and iptables-legacy)
        String nft = "@@error iptables v1.8.9 (nf_tables): chain `DOCKER' in table `nat' is incompatible, use 'nft' tool.";
        String legacy = "@@error iptables: No chain/target/match by that name.";
        for (String err : List.of(nft, legacy)) {
            AuditOutput out = AuditOutput.parse(hardened.substring(0, from) + "@@section dnat\n" + err + "\n" + hardened.substring(to));
            Finding d = one(InsideAudit.findings("h1", out, AI), "dnat", "no DOCKER chain in the nat table");
            assertEquals(Verdict.INFO, d.verdict());
        }
    }

    @Test
    void missingToolsAreSaidAndProcNetTcpStandsInForSs() throws IOException {
        List<Finding> fs = findings("audit-no-tools.txt");
        assertEquals("docker not installed", one(fs, "docker", "docker").detail());
        assertEquals("iptables not installed", one(fs, "dnat", "iptables").detail());
        assertEquals("ufw not installed", one(fs, "ufw", "ufw").detail());
        assertEquals(Verdict.EXPOSED, one(fs, "listener 0.0.0.0:8000", "UFW not installed").verdict());
        assertEquals(Verdict.EXPOSED, one(fs, "listener [::]:11434", "listens").verdict());
    }

    @Test
    void outputThatIsNotTheAuditsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AuditOutput.parse("bash: ss: command not found\n"));
        assertThrows(IllegalArgumentException.class, () -> AuditOutput.parse(AuditScript.MAGIC + "\n@@section ss\n"));
    }

    @Test
    void ufwAllowRulesAreRead() {
        UfwStatus u = UfwStatus.parse(new AuditOutput.Section("ufw", List.of("Status: active", "", "To Action From",
                "8000:8010/tcp              ALLOW       Anywhere", "80,443/tcp                 ALLOW       Anywhere",
                "5000/udp                   ALLOW       Anywhere", "22                         ALLOW IN    10.0.0.0/8"), null, null));
        assertTrue(u.active());
        assertTrue(u.lets(8005) && u.lets(443) && u.lets(22));
        assertTrue(!u.lets(5000) && !u.lets(11434));
        assertTrue(UfwStatus.parse(new AuditOutput.Section("ufw", List.of("Status: inactive"), null, null)).lets(11434));
    }

    /** audit-exposed.txt with the ufw_docker guard in DOCKER-USER and these extra ufw status lines. */
    static List<Finding> guarded(String... ufwLines) throws IOException {
        String text;
        try (InputStream in = InsideAuditTest.class.getResourceAsStream("/scan/audit-exposed.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String guard = "@@section docker-user\n-N DOCKER-USER\n"
                + "-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\n-A DOCKER-USER -i docker0 -j RETURN\n"
                + "-A DOCKER-USER -i br-+ -j RETURN\n-A DOCKER-USER -j ufw-user-forward\n"
                + "-A DOCKER-USER -o docker0 -m conntrack --ctstate NEW -j DROP\n-A DOCKER-USER -o br-+ -m conntrack --ctstate NEW -j DROP\n"
                + "-A DOCKER-USER -j RETURN\n";
        text = text.replace("@@section ufw\n", guard + "@@section ufw\n")
                .replace("22/tcp (v6)                ALLOW       Anywhere (v6)\n",
                        "22/tcp (v6)                ALLOW       Anywhere (v6)\n" + String.join("\n", ufwLines) + (ufwLines.length > 0 ? "\n" : ""));
        return InsideAudit.findings("h1", AuditOutput.parse(text), AI);
    }

    @Test
    void theDockerUserGuardClosesEveryPublishUfwDoesNotRoute() throws IOException {
        List<Finding> fs = guarded();
        assertEquals(List.of(), fs.stream().filter(f -> f.verdict() == Verdict.EXPOSED && !f.check().startsWith("compose ")
                && !f.check().startsWith("listener *:") && !f.check().startsWith("env ") && !f.check().startsWith("process ")).toList());
        Finding dnat = one(fs, "dnat 8000", "--dport 8000");
        assertEquals(Verdict.INFO, dnat.verdict());
        assertTrue(dnat.detail().contains("the DOCKER-USER guard drops it: UFW routes no 8000/tcp"), dnat.detail());
        assertEquals(Verdict.INFO, one(fs, "listener 0.0.0.0:8000", "docker-proxy").verdict());
        assertEquals(Verdict.INFO, one(fs, "container ai_vllm_1", "8000/tcp on 0.0.0.0:8000").verdict());
    }

    @Test
    void aRouteRuleForTheContainersPortOpensItThroughTheGuard() throws IOException {
        // -p 8080:80: DNAT rewrites the port before FORWARD, so UFW must route the container's 80.
        List<Finding> fs = guarded("80/tcp                     ALLOW FWD   Anywhere", "8000/tcp                   ALLOW FWD   Anywhere");
        assertEquals(Verdict.EXPOSED, one(fs, "dnat 8000", "--dport 8000").verdict());
        assertEquals(Verdict.INFO, one(fs, "dnat 11434", "--dport 11434").verdict());
        assertTrue(one(fs, "dnat 8080", "--dport 8080").detail().contains("UFW routes 80 through the DOCKER-USER guard"));
        // An input rule for the host port does not pass DNATed IPv4 traffic; docker-proxy on [::] is reached through INPUT.
        List<Finding> input = guarded("11434/tcp                  ALLOW       Anywhere", "11434/tcp (v6)             ALLOW       Anywhere (v6)");
        assertEquals(Verdict.INFO, one(input, "dnat 11434", "--dport 11434").verdict());
    }

    @Test
    void aChainThatAcceptsBeforeTheDropIsNoGuard() {
        assertTrue(DockerReach.guards(List.of("-N DOCKER-USER", "-A DOCKER-USER -j ufw-user-forward",
                "-A DOCKER-USER -o docker0 -m conntrack --ctstate NEW -j DROP")));
        assertTrue(!DockerReach.guards(List.of("-N DOCKER-USER", "-A DOCKER-USER -j RETURN")));
        assertTrue(!DockerReach.guards(List.of("-N DOCKER-USER", "-A DOCKER-USER -j ufw-user-forward", "-A DOCKER-USER -j ACCEPT",
                "-A DOCKER-USER -o docker0 -m conntrack --ctstate NEW -j DROP")));
        assertTrue(!DockerReach.guards(List.of("-N DOCKER-USER", "-A DOCKER-USER -o docker0 -m conntrack --ctstate NEW -j DROP")));
    }

    @Test
    void routedRulesAreNotInputRules() {
        UfwStatus u = UfwStatus.parse(new AuditOutput.Section("ufw", List.of("Status: active", "",
                "8000/tcp                   ALLOW FWD   Anywhere", "22/tcp                     ALLOW       Anywhere"), null, null));
        assertTrue(u.routes(8000) && !u.lets(8000));
        assertTrue(u.lets(22) && !u.routes(22));
    }

    /** An audit output with these docker, ufw, compose and env-files sections. */
    static AuditOutput audit(String docker, String compose, String envFiles) {
        return AuditOutput.parse(AuditScript.MAGIC + "\n@@section ss\n@@section docker\n" + docker + "\n@@section dnat\n-N DOCKER\n"
                + "@@section ufw\nStatus: inactive\n@@section compose\n" + compose + "\n@@section env-files\n" + envFiles + "\n@@section end\n");
    }

    static String container(String name, String labels, String portBindings, String livePorts) {
        return "{\"Id\":\"" + name + "1\",\"Name\":\"/" + name + "\",\"State\":{\"Running\":true},\"Config\":{\"Labels\":{" + labels + "}},"
                + "\"HostConfig\":{\"PortBindings\":{" + portBindings + "}},\"NetworkSettings\":{\"Ports\":{" + livePorts + "}}}";
    }

    @Test
    void composeFilesAreReadWithComposePortsParser() {
        String legacy = "@@file /opt/old/docker-compose.yml\n|vllm:\n|  image: vllm/vllm-openai\n|  ports:\n|    - \"8000:8000\"\n";
        String extended = "@@file /srv/app/compose.yaml\n|services:\n|  base:\n|    image: x\n|    ports: [\"127.0.0.1:9000:9000\", \"11434:11434\"]\n"
                + "|  gpu:\n|    extends: base\n";
        List<Finding> fs = InsideAudit.findings("h1", audit("", legacy + extended, ""), AI);
        assertEquals(Verdict.EXPOSED, one(fs, "compose /opt/old/docker-compose.yml", "service vllm publishes \"8000:8000\" on every address (line 4)").verdict(),
                "the version-1 format, services at the top level");
        assertEquals(Verdict.EXPOSED, one(fs, "compose /srv/app/compose.yaml", "service gpu publishes \"11434:11434\"").verdict(), "a service gets the ports it extends");
        assertEquals(Verdict.EXPOSED, one(fs, "compose /srv/app/compose.yaml", "service base publishes \"11434:11434\"").verdict());
    }

    @Test
    void aPortEntryComposeWouldRefuseIsSaidNotGuessed() {
        String file = "@@file /opt/x/compose.yml\n|services:\n|  vllm:\n|    ports:\n|      - \"${HOST_IP:?set HOST_IP}:8000:8000\"\n";
        Finding f = one(InsideAudit.findings("h1", audit("", file, ""), AI), "compose /opt/x/compose.yml", "is not a port Compose would publish");
        assertEquals(Verdict.INFO, f.verdict(), "compose up refuses the file, so nothing is published from it");
        assertTrue(f.detail().contains("required variable HOST_IP is missing a value"), f.detail());
    }

    @Test
    void aComposeContainerWithoutItsFileLabelIsStillCompose() {
        String old = container("ai_vllm_1", "\"com.docker.compose.project\":\"ai\",\"com.docker.compose.service\":\"vllm\"",
                "\"8000/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8000\"}]", "\"8000/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8000\"}]");
        Finding f = one(InsideAudit.findings("h1", audit("[" + old + "]", "", ""), AI), "container ai_vllm_1", "8000/tcp on 0.0.0.0:8000");
        assertEquals(Verdict.EXPOSED, f.verdict());
        assertTrue(f.detail().endsWith("(compose service vllm of project ai)"), f.detail());
        assertEquals(InsideAudit.FIX_COMPOSE, f.fix(), "compose_ports finds it by its project and working directory");
    }

    @Test
    void aComposeFileNoSearchCouldReadIsNamedInTheFix() {
        String c = container("ai_vllm_1", "\"com.docker.compose.project\":\"ai\",\"com.docker.compose.service\":\"vllm\","
                + "\"com.docker.compose.project.config_files\":\"/gone/vllm.yml\",\"com.docker.compose.project.working_dir\":\"/gone\"",
                "", "\"8000/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8000\"}]");
        Finding f = one(InsideAudit.findings("h1", audit("[" + c + "]", "", ""), AI), "container ai_vllm_1", "8000/tcp");
        assertEquals(InsideAudit.FIX_COMPOSE + " (its compose file /gone/vllm.yml was not found on the host: give it in files:)", f.fix());
    }

    @Test
    void aContainerIsReportedWithThePortsDockerPublishedNotItsRequest() {
        String c = container("raw", "", "\"8000/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]",
                "\"8000/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"32768\"},{\"HostIp\":\"::\",\"HostPort\":\"32768\"}]");
        List<Finding> fs = InsideAudit.findings("h1", audit("[" + c + "]", "", ""), AI).stream().filter(f -> f.check().equals("container raw")).toList();
        assertEquals(List.of("publishes 8000/tcp on 0.0.0.0:32768", "publishes 8000/tcp on :::32768"), fs.stream().map(Finding::detail).toList());
        assertEquals(Verdict.INFO, fs.get(0).verdict(), "32768 is no AI port");
    }

    @Test
    void localhostIsLoopbackInAListenSetting() {
        List<Finding> fs = InsideAudit.findings("h1", audit("", "", "/etc/ollama/env:1:OLLAMA_HOST=localhost:11434\n/etc/ollama/b.env:1:OLLAMA_HOST=gpu1:11434"), AI);
        assertTrue(fs.stream().noneMatch(f -> f.check().contains("/etc/ollama/env")), fs.toString());
        assertEquals(Verdict.EXPOSED, one(fs, "env /etc/ollama/b.env:1", "OLLAMA_HOST=gpu1").verdict(), "a host name may resolve to any address");
    }
}
