package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerTest {
    static Container labelled(String files, String wd) {
        return new Container("id", "/c", true, Map.of(Container.PROJECT, "p", Container.SERVICE, "s",
                Container.CONFIG_FILES, files, Container.WORKING_DIR, wd), List.of());
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // v2: absolute
        "/opt/a/compose.yaml,/opt/a/gpu.yml|/opt/a|/opt/a/compose.yaml,/opt/a/gpu.yml",
        // v1 without -f: names relative to the project directory
        "docker-compose.yml,docker-compose.override.yml|/opt/a|/opt/a/docker-compose.yml,/opt/a/docker-compose.override.yml",
        // v1 -f sub/x.yml -f sub/y.yml run from /opt
        "sub/x.yml,sub/y.yml|/opt/sub|/opt/sub/x.yml,/opt/sub/y.yml",
        "sub/x.yml,other/y.yml|/opt/sub|/opt/sub/x.yml,/opt/other/y.yml",
        // v1 found the file in a parent directory
        "../docker-compose.yml|/opt|/opt/docker-compose.yml",
        "/opt/./a//b/../compose.yaml|/opt|/opt/a/compose.yaml",
    })
    void resolvesConfigFiles(String files, String wd, String expected) {
        assertEquals(List.of(expected.split(",")), labelled(files, wd).configFiles());
    }

    @Test
    void exposure() {
        Container c = new Container("id", "/web", true, Map.of(), List.of(new Binding("80/tcp", "", "8080"),
                new Binding("81/tcp", "127.0.0.1", "81"), new Binding("82/udp", "::", "82"), new Binding("83/tcp", "10.1.1.1", "83")));
        assertEquals("web", c.name());
        assertFalse(c.compose());
        assertEquals(List.of("0.0.0.0:8080->80/tcp", "[::]:82->82/udp", "10.1.1.1:83->83/tcp"),
                c.exposed("127.0.0.1", PortFilter.ALL).stream().map(Binding::toString).toList());
        assertEquals(List.of("0.0.0.0:8080->80/tcp", "[::]:82->82/udp"),
                c.exposed("10.1.1.1", PortFilter.ALL).stream().map(Binding::toString).toList());
        assertTrue(c.exposed("127.0.0.1", new PortFilter(List.of(new PortRange(8080, 8080)))).size() == 1);
    }
}
