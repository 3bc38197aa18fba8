package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.facts.CommandOutput;
import dev.moat.journal.Undo;
import dev.moat.module.Fact;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/**
 * {@code unarchive} of a controller-side archive: listed in Java, the host's paths read by the
 * task's one read, the archive's bytes sent as the step's stdin. This machine plays the host.
 */
class UnarchiveControllerTest {
    private final Unarchive un = new Unarchive();

    private static void sh(String script) {
        assertEquals(0, LocalHost.sh(script, null).rc(), script);
    }

    private Plan plan(Map<String, Object> raw, FakeContext ctx) throws Exception {
        Unarchive.UnarchiveArgs a = LocalHost.bind(un, raw);
        FakeFacts facts = new FakeFacts();
        for (Fact<?> f : un.reads(a, ctx)) facts.put(f.key(), LocalHost.read(f));
        return un.plan(a, facts, ctx);
    }

    @Test
    void listsTarGzZipAndPlainTarInJava(@TempDir Path dir) throws Exception {
        sh("mkdir -p " + dir + "/c/app/bin && cd " + dir + "/c && printf 'x' > app/bin/run && chmod 750 app/bin/run && printf 'port=80\\n' > app/conf"
                + " && tar -czf ../a.tgz app && tar -cf ../a.tar app && zip -qr ../a.zip app && tar -cjf ../a.tbz app");
        for (String f : List.of("a.tgz", "a.tar", "a.zip")) {
            ControllerArchive ar = ControllerArchive.read(Files.readAllBytes(dir.resolve(f)));
            List<String> names = ar.entries().stream().map(ControllerArchive.Entry::name).sorted().toList();
            assertEquals(List.of("app/", "app/bin/", "app/bin/run", "app/conf"), names, f);
            ControllerArchive.Entry run = ar.entries().stream().filter(e -> e.name().equals("app/bin/run")).findFirst().orElseThrow();
            assertEquals(1, run.size());
            assertEquals(FileFact_sha("x"), run.sha256());
            if (!f.endsWith("zip")) assertEquals(0750, run.mode(), f);
        }
        assertEquals("TgzArchive", ControllerArchive.read(Files.readAllBytes(dir.resolve("a.tgz"))).handler());
        assertTrue(assertThrows(java.io.IOException.class, () -> ControllerArchive.read(Files.readAllBytes(dir.resolve("a.tbz"))))
                .getMessage().contains("bzip2"));
    }

    private static String FileFact_sha(String s) {
        return dev.moat.facts.FileFact.sha256(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void extractsFromStdinConvergesAndSeesDrift(@TempDir Path dir) throws Exception {
        sh("mkdir -p " + dir + "/play/files/c/app/bin " + dir + "/dest/app && cd " + dir + "/play/files/c && printf '#!/bin/sh\\necho hi\\n' > app/bin/run"
                + " && chmod 755 app/bin/run && printf 'port=80\\n' > app/conf && tar -czf ../app.tar.gz app && zip -qr ../app.zip app"
                + " && printf 'old\\n' > " + dir + "/dest/app/conf");
        FakeContext ctx = new FakeContext(false, dir.resolve("play"));
        for (String f : List.of("app.tar.gz", "app.zip")) {
            Path dest = dir.resolve("dest");
            Map<String, Object> raw = Map.of("src", f, "dest", dest.toString());
            Plan first = plan(raw, ctx);
            assertTrue(first.changes(), f);
            assertTrue(first.steps().get(0).stdin().length > 0, "the archive travels as stdin");
            assertTrue(first.undo().contains(new Undo.RestorePath(dest + "/app/conf")), f + ": the overwritten file is journaled");
            assertEquals(null, LocalHost.execute(first));
            assertEquals("port=80\n", Files.readString(dest.resolve("app/conf")));
            assertFalse(plan(raw, ctx).changes(), f + ": converged after extracting");
            Files.writeString(dest.resolve("app/conf"), "port=81\n");
            assertTrue(plan(raw, ctx).changes(), f + ": a changed file is drift");
            sh("rm -rf " + dest + "/app && mkdir -p " + dest + "/app && printf 'old\\n' > " + dest + "/app/conf");
        }
    }

    @Test
    void comparisonIsTarsDiffSubset() throws Exception {
        Unarchive.UnarchiveArgs a = LocalHost.bind(un, Map.of("src", "a.tgz", "dest", "/d"));
        ControllerArchive ar = new ControllerArchive("TgzArchive", new byte[]{1}, List.of(
                new ControllerArchive.Entry("app/", 'd', 0, 0755, 10, null),
                new ControllerArchive.Entry("app/conf", 'f', 3, 0644, 100, "abc"),
                new ControllerArchive.Entry("app/new", 'f', 1, 0644, 100, "def")));
        Unarchive.Listing host = Unarchive.Listing.parse(new CommandOutput(0, "@@state TgzArchive\n@@lstat\n"
                + "app/\t755 root 0 root 0 4096 50 - directory\napp/conf\t600 root 0 root 0 3 100 abd regular file\napp/new\t-\n", ""));
        Unarchive.Listing l = Unarchive.compare(a, ar, host);
        assertEquals(List.of("app/conf: Contents differ", "app/conf: Mode differs", "app/new: Warning: Cannot stat: No such file or directory"), l.diff());
        Plan p = Unarchive.plan(a, l, new byte[]{1});
        assertEquals(List.of(new Undo.RestorePath("/d/app/conf"), new Undo.RestorePath("/d/app/new")), p.undo());
    }

    @Test
    void missingControllerFileIsAnsiblesMessage(@TempDir Path dir) throws Exception {
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of("src", "none.tgz", "dest", "/d"), new FakeContext(false, dir)));
        assertEquals("Could not find or access 'none.tgz' on the Ansible Controller.", e.getMessage());
    }
}
