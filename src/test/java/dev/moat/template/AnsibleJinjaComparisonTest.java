package dev.moat.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every row of {@code src/test/resources/jinja/ansible-answers.json} (Ansible 2.14's answers,
 * recorded by {@code record.py} from {@code cases.txt} on the variables of {@code vars.json})
 * rendered by moat's Templar and compared with Ansible's:
 * <ul>
 *   <li>{@code text}: what Ansible renders for the template inside a larger string (a file, a
 *       message), which must equal moat's {@link Templar#renderString} exactly;</li>
 *   <li>{@code value}: what a module argument receives. A list, mapping, boolean or number must be
 *       moat's native value too; Ansible turns other results into strings (covered by {@code text}),
 *       and reads a string result that looks like a list or mapping back into one, which moat does
 *       not (its value is then the string Ansible read);</li>
 *   <li>{@code error}: Ansible failed, so must moat.</li>
 * </ul>
 * A row moat answers differently on purpose or cannot match is listed with its reason in
 * {@code differences.txt}; such a row must still differ, so a fixed row loses its excuse.
 */
class AnsibleJinjaComparisonTest {
    private static final Path DIR = Path.of("src/test/resources/jinja").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyRowAsAnsible() throws IOException {
        JsonNode fixture = JSON.readTree(DIR.resolve("ansible-answers.json").toFile());
        Vars vars = vars();
        Map<String, String> differences = differences();
        List<DynamicTest> tests = new ArrayList<>();
        int i = 0;
        for (JsonNode row : fixture.get("rows")) {
            String template = row.has("template") ? row.get("template").asText() : "{{ " + row.get("expr").asText() + " }}";
            String reason = differences.get(template);
            int n = i++;
            tests.add(DynamicTest.dynamicTest(n + ": " + template, () -> {
                if (reason == null) compare(row, template, vars);
                else assertStillDiffers(row, template, vars, reason);
            }));
        }
        return tests.stream();
    }

    @Test
    void theTableIsBigEnoughAndEveryReasonNamesARow() throws IOException {
        JsonNode rows = JSON.readTree(DIR.resolve("ansible-answers.json").toFile()).get("rows");
        assertTrue(rows.size() >= 150, "at least 150 rows, got " + rows.size());
        List<String> templates = new ArrayList<>();
        for (JsonNode row : rows) {
            templates.add(row.has("template") ? row.get("template").asText() : "{{ " + row.get("expr").asText() + " }}");
        }
        for (String t : differences().keySet()) assertTrue(templates.contains(t), "differences.txt names no row: " + t);
    }

    private static void compare(JsonNode row, String template, Vars vars) {
        Templar t = templar();
        if (row.has("error")) {
            assertThrows(TemplateException.class, () -> t.render(template, vars), "Ansible fails: " + row.get("error"));
            return;
        }
        String text = dir(row.get("text").asText());
        assertEquals(text, t.renderString(template, vars), "text");
        Object moat = t.render(template, vars);
        Object ansible = dir(JSON.convertValue(row.get("value"), Object.class));
        if (ansible instanceof String) {
            if (moat instanceof List || moat instanceof Map || moat instanceof Boolean) {
                fail("Ansible's value is the string " + ansible + ", moat's " + moat);
            }
        } else if (moat instanceof String s) {
            assertEquals(text, s, "Ansible read a literal back from the text " + text);
        } else {
            assertEquals(normal(ansible), normal(moat), "value");
        }
    }

    private static void assertStillDiffers(JsonNode row, String template, Vars vars, String reason) {
        boolean same;
        try {
            compare(row, template, vars);
            same = true;
        } catch (AssertionError | TemplateException e) {
            same = false;
        }
        assertTrue(!same, "this row now matches Ansible; remove it from differences.txt (" + reason + ")");
    }

    private static Templar templar() {
        return new Templar(DIR, new Secrets());
    }

    /** JSON round trip, so Integer/Long and map classes compare by value. */
    private static Object normal(Object v) {
        return JSON.convertValue(v, Object.class);
    }

    @SuppressWarnings("unchecked")
    private static Object dir(Object v) {
        if (v instanceof String s) return s.replace("${dir}", DIR.toString());
        if (v instanceof List<?> l) return l.stream().map(AnsibleJinjaComparisonTest::dir).toList();
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, dir(x)));
            return out;
        }
        return v;
    }

    private static String dir(String s) {
        return s.replace("${dir}", DIR.toString());
    }

    @SuppressWarnings("unchecked")
    private static Vars vars() throws IOException {
        Map<String, Object> v = JSON.readValue(DIR.resolve("vars.json").toFile(), Map.class);
        return Vars.of(v);
    }

    /** differences.txt: a template line, then a line "  because: REASON". */
    private static Map<String, String> differences() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String template = null;
        for (String line : Files.readAllLines(DIR.resolve("differences.txt"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            if (line.startsWith("  because: ")) {
                if (template == null) throw new IllegalStateException("differences.txt: a reason without a template: " + line);
                out.put(template, line.substring(11));
                template = null;
            } else {
                template = line;
            }
        }
        if (template != null) throw new IllegalStateException("differences.txt: no reason for " + template);
        return out;
    }
}
