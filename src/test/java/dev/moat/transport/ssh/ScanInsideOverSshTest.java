package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code moat scan --inside} for real over SSH to a local sshd (this machine as the host): one
 * connection, the audit script through sh, its output parsed into inside findings. What this
 * machine exposes is not asserted, only that the audit ran and reported.
 */
class ScanInsideOverSshTest {
    @Test
    void theAuditRunsOverSshAndReportsInsideFindings(@TempDir Path tmp) throws Exception {
        assumeTrue(TestSshd.available(), "needs /usr/sbin/sshd and root");
        Path sshdDir = Files.createDirectories(tmp.resolve("sshd"));
        try (TestSshd sshd = new TestSshd(sshdDir)) {
            Path kh = tmp.resolve("known_hosts");
            Files.writeString(kh, sshd.knownHostsLine());
            Path inv = tmp.resolve("inv.yml");
            Files.writeString(inv, "all:\n  hosts:\n    local:\n      ansible_host: 127.0.0.1\n      ansible_port: " + sshd.port
                    + "\n      ansible_user: root\n      ansible_ssh_private_key_file: " + sshd.clientKey
                    + "\n      compose_search: [" + tmp + "]\n");
            Files.createDirectories(tmp.resolve("app"));
            Files.writeString(tmp.resolve("app/docker-compose.yml"), "services:\n  vllm:\n    ports:\n      - \"8000:8000\"\n");
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = dev.moat.cli.Main.execute(new String[] {"scan", "-i", inv.toString(), "--inside", "--json", "--known-hosts", kh.toString(),
                    "--ports", "8000", "--timeout-ms", "300"}, new PrintWriter(out), new PrintWriter(err));
            List<JsonNode> inside = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String l : out.toString().split("\n")) {
                JsonNode n = json.readTree(l);
                if (n.path("side").asText().equals("inside")) inside.add(n);
            }
            assertTrue(inside.stream().noneMatch(f -> f.path("check").asText().equals("ssh") || f.path("check").asText().equals("inside")),
                    out + "\n" + err);
            assertTrue(inside.stream().anyMatch(f -> f.path("check").asText().equals("ufw")), out.toString());
            JsonNode compose = inside.stream().filter(f -> f.path("check").asText().equals("compose " + tmp.resolve("app/docker-compose.yml")))
                    .findFirst().orElseThrow(() -> new AssertionError(out.toString()));
            assertEquals("EXPOSED", compose.path("verdict").asText());
            assertEquals(2, code, "the compose file publishes 8000 on every address: " + out + err);
        }
    }
}
