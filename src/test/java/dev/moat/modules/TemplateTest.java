package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

class TemplateTest {
    final Template template = new Template();

    @TempDir
    Path dir;

    @Test
    void argumentsAreChecked() {
        assertEquals("src", assertThrows(ArgException.class, () -> LocalHost.bind(template, Map.of("dest", "/x"))).arg());
        assertEquals("dest", assertThrows(ArgException.class, () -> LocalHost.bind(template, Map.of("src", "a.j2"))).arg());
    }

    @Test
    void rendersThenPlansLikeCopy() throws Exception {
        FakeContext ctx = new FakeContext(false, dir).var("domain", "api.h1.test").var("port", 8443);
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/site.j2"), "server_name {{ domain }};\nlisten {{ port }};\n");
        Template.TemplateArgs a = LocalHost.bind(template, Map.of("src", "site.j2", "dest", "/etc/nginx/sites-available/"));
        assertEquals("/etc/nginx/sites-available/site", a.dest());
        FakeFacts f = new FakeFacts().put("file:" + a.dest(), "file 644 0 0 3 root root\nold")
                .put("file:/etc/nginx/sites-available", "directory 755 0 0 4096 root root\n");
        Plan p = template.plan(a, f, ctx);
        assertEquals(List.of(Diff.file(a.dest(), "old", "server_name api.h1.test;\nlisten 8443;\n")), p.diffs());
        FakeFacts same = new FakeFacts().put("file:" + a.dest(), "file 644 0 0 3 root root\nserver_name api.h1.test;\nlisten 8443;\n")
                .put("file:/etc/nginx/sites-available", "directory 755 0 0 4096 root root\n");
        assertFalse(template.plan(a, same, ctx).changes());
    }

    @Test
    void anUndefinedVariableFailsTheTask() throws Exception {
        FakeContext ctx = new FakeContext(false, dir);
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/t.j2"), "{{ missing }}");
        Template.TemplateArgs a = LocalHost.bind(template, Map.of("src", "t.j2", "dest", "/etc/t"));
        FakeFacts f = new FakeFacts().put("file:/etc/t", "absent\n").put("file:/etc", "directory 755 0 0 4096 root root\n");
        assertThrows(TaskException.class, () -> template.plan(a, f, ctx));
    }

    @Test
    void writesForRealThenConverges() throws Exception {
        FakeContext ctx = new FakeContext(false, dir).var("domain", "api.h1.test").var("port", 8443);
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("templates/site.j2"), "server_name {{ domain }};\nlisten {{ port }};\n");
        Path out = Files.createDirectories(dir.resolve("out"));
        LocalHost.converge(template, Map.of("src", "site.j2", "dest", out + "/site.conf", "mode", "0600"), ctx);
        assertEquals("server_name api.h1.test;\nlisten 8443;\n", Files.readString(out.resolve("site.conf")));
    }
}
