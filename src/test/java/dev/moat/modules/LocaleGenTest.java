package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.journal.Undo;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

/** locale_gen against community.general's answers recorded on a testbed host (src/test/resources/ansible-locale-gen.json). */
class LocaleGenTest {
    final LocaleGen module = new LocaleGen();

    static FakeFacts facts(String localeGen, String localeA) {
        return new FakeFacts().put("file:/etc/locale.gen", SysctlTest.file(localeGen)).put("file:/etc", "directory 755 0 0 4096 root root\n")
                .put("exists:/var/lib/locales/supported.d", "no\n").put("locales:/usr/lib/locale", localeA);
    }

    @Test
    void judgesAndEditsAsAnsibleDid() throws Exception {
        JsonNode rec = new ObjectMapper().readTree(Path.of("src/test/resources/ansible-locale-gen.json").toFile());
        String gen = rec.path("locale_gen").asText();
        String localeA = rec.path("locale_a").asText();
        int n = 0;
        for (var it = rec.path("cases").fields(); it.hasNext(); n++) {
            var c = it.next();
            String[] k = c.getKey().split(" ");
            LocaleGen.LocaleArgs a = LocalHost.bind(module, Map.of("name", k[0], "state", k[1]));
            if (c.getValue().path("failed").asBoolean()) {
                TaskException e = assertThrows(TaskException.class, () -> module.plan(a, facts(gen, localeA), FakeContext.checkMode()), c.getKey());
                assertEquals(c.getValue().path("msg").asText(), e.getMessage());
                continue;
            }
            assertEquals(c.getValue().path("changed").asBoolean(), module.plan(a, facts(gen, localeA), FakeContext.checkMode()).changes(), c.getKey());
        }
        assertEquals(5, n);
        JsonNode applied = rec.path("applied");
        Plan p = module.plan(LocalHost.bind(module, Map.of("name", applied.path("name").asText())), facts(gen, localeA), FakeContext.apply());
        String after = new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8);
        assertEquals(gen.replace(applied.path("before_line").asText() + "\n", applied.path("after_line").asText() + "\n"), after);
        assertEquals("locale-gen >/dev/null", p.steps().get(1).script());
        assertEquals(List.of(new Undo.RestorePath("/usr/lib/locale/locale-archive"), new Undo.RestorePath("/etc/locale.gen")), p.undo());
        assertFalse(module.plan(LocalHost.bind(module, Map.of("name", "de_CH.UTF-8")), facts(after, applied.path("locale_a_after").asText()),
                FakeContext.apply()).changes(), "de_CH.utf8 from locale -a is de_CH.UTF-8");
        Plan off = module.plan(LocalHost.bind(module, Map.of("name", "de_CH.UTF-8", "state", "absent")), facts(after, applied.path("locale_a_after").asText()),
                FakeContext.apply());
        assertEquals(gen, new String(off.steps().get(0).stdin(), StandardCharsets.UTF_8), "commented out again as '# NAME CHARSET'");
        assertEquals(List.of("locale-gen >/dev/null"), off.steps().subList(1, 2).stream().map(Step::script).toList());
    }

    @Test
    void ubuntusWayIsRefusedByName() throws Exception {
        TaskException e = assertThrows(TaskException.class, () -> module.plan(LocalHost.bind(module, Map.of("name", "de_CH.UTF-8")),
                facts("", "").put("exists:/var/lib/locales/supported.d", "yes\n"), FakeContext.apply()));
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
    }
}
