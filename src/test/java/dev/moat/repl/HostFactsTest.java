package dev.moat.repl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

class HostFactsTest {
    @Test
    void rendersEachSection() {
        String out = String.join("\n",
                "@@os", "Debian GNU/Linux 12 (bookworm)",
                "@@kernel", "6.1.0-18-amd64 x86_64",
                "@@pkg", "apt",
                "@@docker", "24.0.7",
                "@@compose", "v2 plugin 2.21.0", "docker-compose 1.29.2",
                "@@gpu", "0, NVIDIA A100-SXM4-40GB, 40960 MiB, 535.104.05",
                "@@listen",
                "LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:((\"sshd\",pid=612,fd=3))",
                "LISTEN 0      4096         0.0.0.0:8000      0.0.0.0:*    users:((\"docker-proxy\",pid=9,fd=4))",
                "LISTEN 0      511        127.0.0.1:11434     0.0.0.0:*",
                "LISTEN 0      128             [::]:22           [::]:*    users:((\"sshd\",pid=612,fd=4))",
                "@@ufw", "Status: active", "Logging: on (low)", "Default: deny (incoming), allow (outgoing), disabled (routed)", "");
        String r = HostFacts.render(HostFacts.parse(out));
        assertTrue(r.contains("os:        Debian GNU/Linux 12 (bookworm) (6.1.0-18-amd64 x86_64)"), r);
        assertTrue(r.contains("packages:  apt"), r);
        assertTrue(r.contains("compose:   v2 plugin 2.21.0; docker-compose 1.29.2"), r);
        assertTrue(r.contains("gpus:      0, NVIDIA A100-SXM4-40GB, 40960 MiB, 535.104.05"), r);
        assertTrue(r.matches("(?s).*0\\.0\\.0\\.0:8000\\s+docker-proxy\\s+PUBLIC.*"), r);
        assertTrue(r.matches("(?s).*127\\.0\\.0\\.1:11434\\s+loopback.*"), r);
        assertTrue(r.contains("ufw:       Status: active; Logging: on (low); Default: deny (incoming)"), r);
    }

    @Test
    void missingToolsSayso() {
        String r = HostFacts.render(HostFacts.parse("@@os\nAlpine\n@@kernel\n6.1 x86_64\n@@pkg\napk\n@@docker\n@@compose\n@@gpu\n@@listen\n@@ufw\nnot installed\n"));
        assertTrue(r.contains("docker:    not installed"), r);
        assertTrue(r.contains("gpus:      none seen (no nvidia-smi)"), r);
        assertTrue(r.contains("listening: nothing"), r);
        assertTrue(r.contains("ufw:       not installed"), r);
    }

    @Test
    void oneCommandReadsEverything() {
        for (String s : List.of("/etc/os-release", "nvidia-smi", "ss -Htln", "docker compose version", "docker-compose", "ufw status")) {
            assertTrue(HostFacts.SCRIPT.contains(s), s);
        }
    }
}
