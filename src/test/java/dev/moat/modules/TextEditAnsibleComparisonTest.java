package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.moat.module.ArgException;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/**
 * moat's {@code replace}, {@code blockinfile} and {@code ini_file} against Ansible 2.14's: each case
 * of {@code src/test/resources/textedit/cases.yml} (a file's content and the task's arguments) is
 * planned by moat from a fact fixture, and compared with what Ansible did to the same file
 * ({@code answers.json}, recorded by {@code record.py}): whether it failed, whether it changed, the
 * file's content after, and the message.
 */
class TextEditAnsibleComparisonTest {
    private static final File DIR = new File("src/test/resources/textedit");
    private static final String PATH = "/etc/x";

    static List<Object[]> cases() throws Exception {
        JsonNode cases = new ObjectMapper(new YAMLFactory()).readTree(new File(DIR, "cases.yml"));
        JsonNode answers = new ObjectMapper().readTree(new File(DIR, "answers.json"));
        List<Object[]> out = new ArrayList<>();
        for (JsonNode c : cases) out.add(new Object[] {c.get("name").asText(), c, answers.get(c.get("name").asText())});
        return out;
    }

    private static Module<?> module(String name) {
        return Modules.builtin().get(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameAsAnsible(String name, JsonNode c, JsonNode answer) throws Exception {
        assertNotNull(answer, "no recorded answer for " + name);
        Map<String, Object> args = new ObjectMapper().convertValue(c.get("args"), Map.class);
        args = new HashMap<>(args);
        args.put("path", PATH);
        FakeFacts facts = new FakeFacts().put("file:/etc", "directory 755 0 0 0 root root\n");
        JsonNode input = c.get("input");
        if (input.isNull()) {
            facts.put("file:" + PATH, "absent\n");
        } else {
            byte[] b = input.asText().getBytes(StandardCharsets.UTF_8);
            facts.put("file:" + PATH, "file 644 0 0 " + b.length + " root root\n" + input.asText());
        }
        Plan plan;
        try {
            plan = plan(module(c.get("module").asText()), args, facts);
        } catch (TaskException | ArgException e) {
            assertTrue(answer.get("failed").asBoolean(), name + ": moat failed (" + e.getMessage() + "), Ansible did not");
            return;
        }
        assertFalse(answer.get("failed").asBoolean(), name + ": Ansible failed (" + answer.get("msg").asText() + "), moat did not");
        assertEquals(answer.get("changed").asBoolean(), plan.changes(), name + ": changed");
        if (plan.changes()) {
            assertEquals(answer.get("content").asText(), new String(plan.steps().get(0).stdin(), StandardCharsets.UTF_8), name + ": content");
        }
        String msg = answer.get("msg").asText().replace("PATH", PATH);
        if (!msg.isEmpty() && !msg.equals("OK")) assertEquals(msg, plan.result().get("msg"), name + ": msg");
    }

    private static <A> Plan plan(Module<A> m, Map<String, Object> raw, FakeFacts facts) throws Exception {
        A a = LocalHost.bind(m, raw);
        return m.plan(a, facts, FakeContext.apply());
    }
}
