package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/** pam_limits against community.general's recorded answers (src/test/resources/ansible-pam-limits.json, made by ansible-pam-limits.py). */
class PamLimitsTest {
    final PamLimits module = new PamLimits();
    static final String DEST = "/etc/security/limits.conf";

    @SuppressWarnings("unchecked")
    @Test
    void editsAsAnsibleDid() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(Path.of("src/test/resources/ansible-pam-limits.json").toFile());
        int n = 0;
        for (var it = cases.fields(); it.hasNext(); n++) {
            var c = it.next();
            JsonNode v = c.getValue();
            Map<String, Object> args = new ObjectMapper().convertValue(v.path("args"), LinkedHashMap.class);
            args.put("dest", DEST);
            String before = v.path("before").isNull() ? null : v.path("before").asText();
            FakeFacts f = new FakeFacts().put("file:" + DEST, before == null ? "absent\n" : SysctlTest.file(before))
                    .put("file:/etc/security", "directory 755 0 0 4096 root root\n");
            PamLimits.LimitArgs a = LocalHost.bind(module, args);
            if (v.path("failed").asBoolean()) {
                TaskException e = assertThrows(TaskException.class, () -> module.plan(a, f, FakeContext.apply()), c.getKey());
                assertEquals(v.path("msg").asText().replaceAll("'/tmp/[^']*'", "'" + DEST + "'"), e.getMessage(), c.getKey());
                continue;
            }
            Plan p = module.plan(a, f, FakeContext.apply());
            assertEquals(v.path("changed").asBoolean(), p.changes(), c.getKey());
            assertEquals(v.path("msg").asText(), p.result().get("msg"), c.getKey());
            if (p.changes()) {
                assertEquals(v.path("after").asText(), new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8), c.getKey());
                assertEquals(List.of(new Undo.RestorePath(DEST)), p.undo(), c.getKey());
                Diff d = p.diffs().get(0);
                assertEquals(v.path("diff").path("after").asText(), d.after(), c.getKey());
            }
        }
        assertEquals(12, n);
    }

    @Test
    void aMissingDirectoryFails() throws Exception {
        PamLimits.LimitArgs a = LocalHost.bind(module, Map.of("domain", "*", "limit_type", "-", "limit_item", "core", "value", "0", "dest", "/etc/nope/limits.conf"));
        TaskException e = assertThrows(TaskException.class, () -> module.plan(a,
                new FakeFacts().put("file:/etc/nope/limits.conf", "absent\n").put("file:/etc/nope", "absent\n"), FakeContext.checkMode()));
        assertEquals("directory /etc/nope is not writable (check presence, access rights, use sudo)", e.getMessage());
    }

    @Test
    void argumentsAreCheckedAsAnsibleDoes() {
        assertEquals("value", assertThrows(ArgException.class, () -> LocalHost.bind(module,
                Map.of("domain", "*", "limit_type", "-", "limit_item", "nice", "value", "30"))).arg());
        assertEquals("value", assertThrows(ArgException.class, () -> LocalHost.bind(module,
                Map.of("domain", "*", "limit_type", "-", "limit_item", "nofile", "value", "-2"))).arg());
        assertEquals("use_min", assertThrows(ArgException.class, () -> LocalHost.bind(module,
                Map.of("domain", "*", "limit_type", "-", "limit_item", "nofile", "value", "1", "use_min", true, "use_max", true))).arg());
        assertEquals("limit_item", assertThrows(ArgException.class, () -> LocalHost.bind(module,
                Map.of("domain", "*", "limit_type", "-", "limit_item", "gpus", "value", "1"))).arg());
    }
}
