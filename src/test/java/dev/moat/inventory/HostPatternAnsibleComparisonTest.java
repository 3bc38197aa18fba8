package dev.moat.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.moat.MoatException;

/**
 * Evaluates host patterns (and --limit) with Ansible's own InventoryManager, in one Python process,
 * and checks moat selects the same hosts in the same order. Skipped when Ansible is not installed.
 */
class HostPatternAnsibleComparisonTest {
    private static final Path FIXTURE = Path.of("src/test/resources/inventory/compare/hosts.yml");
    private static final Path SCRIPT = Path.of("src/test/resources/inventory/ansible_patterns.py");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final String[][] CASES = {
        {"all", null}, {"*", null}, {"gpu", null}, {"eu", null}, {"web", null}, {"storage", null},
        {"ungrouped", null}, {"gpu:&web", null}, {"gpu:!eu", null}, {"gpu,web", null}, {"web*", null},
        {"*.example.net", null}, {"~gpu-0[1-3]", null}, {"gpu[0]", null}, {"gpu[1:3]", null},
        {"gpu[-1]", null}, {"gpu[2:]", null}, {"gpu-0?.example.net", null}, {"!gpu", null},
        {"!gpu-01.example.net:&web:web", null}, {"10.0.0.*", null}, {"eu:storage", null},
        {"nas-?[!8]", null}, {"g*[1]", null}, {"eu_fast:alpha:zeta", null}, {"db.example.net", null},
        {"gpu", "eu"}, {"all", "!gpu"}, {"web", "gpu:&web"}, {"gpu:web", "storage,eu"},
    };

    @TempDir
    Path home;

    @Test
    void patternsSelectWhatAnsibleSelects() throws Exception {
        Inventory inv = InventoryLoader.load(FIXTURE);
        JsonNode ansible = ansible();
        for (int i = 0; i < CASES.length; i++) {
            String pattern = CASES[i][0];
            String limit = CASES[i][1];
            List<String> expected = new ArrayList<>();
            ansible.get(i).forEach(n -> expected.add(n.asText()));
            assertTrue(ansible.get(i).isArray(), pattern + ": " + ansible.get(i));
            List<String> actual = HostPattern.select(inv, pattern, limit).stream().map(Host::name).toList();
            assertEquals(expected, actual, "pattern " + pattern + (limit == null ? "" : " --limit " + limit));
        }
    }

    @Test
    void whereAnsibleOnlyWarnsMoatRefuses() throws Exception {
        Inventory inv = InventoryLoader.load(FIXTURE);
        // Ansible: "Could not match supplied host pattern, ignoring" and an empty (or unexcluded) selection.
        for (String p : List.of("nope", "gpu:!gpu-1.example.net", "web:&nowhere", "nas-[08:09]")) {
            MoatException e = assertThrows(MoatException.class, () -> HostPattern.select(inv, p));
            assertEquals(64, e.exitCode(), p);
        }
    }

    private JsonNode ansible() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        ObjectMapper json = new ObjectMapper();
        ArrayNode cases = json.createArrayNode();
        for (String[] c : CASES) cases.add(json.createArrayNode().add(c[0]).add(c[1]));
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), SCRIPT.toAbsolutePath().toString(),
                FIXTURE.toAbsolutePath().toString()).directory(home.toFile());
        Map<String, String> env = pb.environment();
        Files.writeString(home.resolve("ansible.cfg"), "");
        env.put("HOME", home.toString());
        env.put("ANSIBLE_CONFIG", home.resolve("ansible.cfg").toString());
        env.put("ANSIBLE_HOME", home.resolve("ansible").toString());
        env.put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
        env.put("PYTHONHASHSEED", "0");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        p.getOutputStream().write(json.writeValueAsBytes(cases));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("python timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        Assumptions.assumeTrue(p.exitValue() == 0 || !text.isEmpty(), "Ansible's Python library is not installed");
        assertEquals(0, p.exitValue(), "ansible_patterns.py failed: " + text);
        JsonNode result = json.readTree(text);
        assertEquals(CASES.length, result.size(), Arrays.deepToString(CASES));
        return result;
    }
}
