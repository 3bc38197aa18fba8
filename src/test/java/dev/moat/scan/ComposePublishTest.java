package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class ComposePublishTest {
    private static String summary(ComposePublish p) {
        return p.service() + " " + (p.hostIp() == null ? "*" : p.hostIp()) + " " + p.hostPortLo() + "-" + p.hostPortHi() + " " + (p.publik() ? "public" : "loopback");
    }

    @Test
    void readsEveryPortSyntax() {
        String yaml = String.join("\n",
                "services:",
                "  a:",
                "    ports:",
                "      - \"8000:8000\"",
                "      - 22:22            # YAML 1.1 would read base 60",
                "      - \"127.0.0.1:8188:8188\"",
                "      - \"[::1]:7860:7860\"",
                "      - \"::1:9000:9000\"",
                "      - \"8080\"",
                "      - \"127.0.0.1::5000\"",
                "      - \"9100-9102:9100-9102/udp\"",
                "      - \"${BIND:-0.0.0.0}:11434:11434\"",
                "      - \"${BIND}:3000:3000\"",
                "      - \"${PORT:-6006}:6006\"",
                "  b:",
                "    ports: [\"127.0.0.1:8888:8888\", 8001:8001]",
                "  c:",
                "    ports:",
                "      - target: 80",
                "        published: 8081",
                "      - {target: 80, published: \"8082\", host_ip: 127.0.0.1}",
                "  d:",
                "    image: x",
                "");
        List<String> got = ComposePublish.parse("/opt/x/compose.yml", yaml).stream().map(ComposePublishTest::summary).toList();
        assertEquals(List.of(
                "a * 8000-8000 public",
                "a * 22-22 public",
                "a 127.0.0.1 8188-8188 loopback",
                "a ::1 7860-7860 loopback",
                "a ::1 9000-9000 loopback",
                "a * -1--1 public",
                "a 127.0.0.1 -1--1 loopback",
                "a * 9100-9102 public",
                "a 0.0.0.0 11434-11434 public",
                "a * 3000-3000 public",
                "a * 6006-6006 public",
                "b 127.0.0.1 8888-8888 loopback",
                "b * 8001-8001 public",
                "c * 8081-8081 public",
                "c 127.0.0.1 8082-8082 loopback"), got);
    }

    @Test
    void notYamlNamesTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComposePublish.parse("/srv/bad.yml", "services: [\n"));
        assertEquals(true, e.getMessage().contains("/srv/bad.yml"), e.getMessage());
    }
}
