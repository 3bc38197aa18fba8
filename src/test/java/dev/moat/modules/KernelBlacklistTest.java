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
import dev.moat.module.ArgException;
import dev.moat.module.Plan;

/** kernel_blacklist against community.general's recorded answers (src/test/resources/ansible-kernel-blacklist.json). */
class KernelBlacklistTest {
    final KernelBlacklist module = new KernelBlacklist();
    static final String FILE = "/etc/modprobe.d/blacklist-nouveau.conf";

    @Test
    void editsAsAnsibleDid() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(Path.of("src/test/resources/ansible-kernel-blacklist.json").toFile());
        int n = 0;
        for (var it = cases.fields(); it.hasNext(); n++) {
            var c = it.next();
            JsonNode a = c.getValue().path("args");
            KernelBlacklist.BlacklistArgs args = LocalHost.bind(module, Map.of("name", a.path("name").asText(), "state", a.path("state").asText("present"), "blacklist_file", FILE));
            JsonNode before = c.getValue().path("before");
            String file = before.isNull() ? "absent\n" : "file 644 0 0 " + before.asText().getBytes(StandardCharsets.UTF_8).length + " root root\n" + before.asText();
            Plan p = module.plan(args, new FakeFacts().put("file:" + FILE, file).put("file:/etc/modprobe.d", "directory 755 0 0 4096 root root\n"), FakeContext.apply());
            assertEquals(c.getValue().path("changed").asBoolean(), p.changes(), c.getKey());
            if (p.changes()) {
                assertEquals(c.getValue().path("after").asText(), new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8), c.getKey());
                assertEquals(List.of(new Undo.RestorePath(FILE)), p.undo());
            }
        }
        assertEquals(6, n);
    }

    @Test
    void namesAreChecked() {
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("name", "a$(x)"))).arg());
        assertEquals("blacklist_file", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("name", "nouveau", "blacklist_file", "b.conf"))).arg());
    }
}
