package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The one reading of what a port entry publishes, as compose_ports and moat scan --inside both use it. */
class PortEntryTest {
    private static List<String> read(String yaml, Map<String, String> env) throws PortSyntaxException {
        List<String> out = new ArrayList<>();
        Interpolation vars = new Interpolation(env);
        for (PortEntry e : ComposeDocument.parse("/opt/x/compose.yml", yaml).entries()) {
            String what;
            try {
                PortSpec p = e.effective(vars);
                what = (p.hostIp() == null ? "*" : p.hostIp()) + " " + (p.host() == null ? "any" : p.host()) + " " + (p.loopback() ? "loopback" : "public");
            } catch (PortSyntaxException ex) {
                what = "refused";
            }
            out.add(String.join(",", e.services()) + " " + e.written() + " line " + e.line() + ": " + what);
        }
        return out;
    }

    @Test
    void readsEveryPortSyntaxAsWrittenAndAsDockerIsAskedForIt() throws Exception {
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
                "      - \"${NEEDED:?set it}:8889:8889\"",
                "  b:",
                "    ports: [\"127.0.0.1:8888:8888\", 8001:8001]",
                "  c:",
                "    ports:",
                "      - target: 80",
                "        published: 8081",
                "      - {target: 80, published: \"${WEB:-8082}\", host_ip: 127.0.0.1}",
                "  d:",
                "    extends: b",
                "");
        assertEquals(List.of(
                "a 8000:8000 line 4: * 8000 public",
                "a 22:22 line 5: * 22 public",
                "a 127.0.0.1:8188:8188 line 6: 127.0.0.1 8188 loopback",
                "a [::1]:7860:7860 line 7: ::1 7860 loopback",
                "a ::1:9000:9000 line 8: ::1 9000 loopback",
                "a 8080 line 9: * any public",
                "a 127.0.0.1::5000 line 10: 127.0.0.1 any loopback",
                "a 9100-9102:9100-9102/udp line 11: * 9100-9102 public",
                "a ${BIND:-0.0.0.0}:11434:11434 line 12: 0.0.0.0 11434 public",
                "a ${BIND}:3000:3000 line 13: * 3000 public",
                "a ${PORT:-6006}:6006 line 14: * 6006 public",
                "a ${NEEDED:?set it}:8889:8889 line 15: refused",
                "b,d 127.0.0.1:8888:8888 line 17: 127.0.0.1 8888 loopback",
                "b,d 8001:8001 line 17: * 8001 public",
                "c {target: 80, published: 8081} line 20: * 8081 public",
                "c {target: 80, published: ${WEB:-8082}, host_ip: 127.0.0.1} line 22: 127.0.0.1 8082 loopback"), read(yaml, Map.of()));
    }

    @Test
    void theEnvBesideTheFileFillsInVariables() throws Exception {
        String yaml = "services:\n  vllm:\n    ports:\n      - \"${HOST_IP:-127.0.0.1}:8000:8000\"\n";
        assertEquals(List.of("vllm ${HOST_IP:-127.0.0.1}:8000:8000 line 4: 127.0.0.1 8000 loopback"), read(yaml, Map.of()));
        assertEquals(List.of("vllm ${HOST_IP:-127.0.0.1}:8000:8000 line 4: 0.0.0.0 8000 public"), read(yaml, Map.of("HOST_IP", "0.0.0.0")));
    }

    @Test
    void notYamlNamesTheFileAndPlace() {
        PortSyntaxException e = assertThrows(PortSyntaxException.class, () -> ComposeDocument.parse("/srv/bad.yml", "services: [\n"));
        assertEquals(true, e.getMessage().startsWith("/srv/bad.yml:"), e.getMessage());
    }
}
