package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.facts.CommandOutput;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

class UnarchiveTest {
    private final Unarchive un = new Unarchive();

    private Unarchive.UnarchiveArgs args(Map<String, Object> raw) throws ArgException {
        return LocalHost.bind(un, raw);
    }

    private static Unarchive.Listing listing(String resource) throws Exception {
        String text = new String(UnarchiveTest.class.getResourceAsStream("/unarchive/" + resource).readAllBytes(), StandardCharsets.UTF_8);
        return Unarchive.Listing.parse(new CommandOutput(0, text, ""));
    }

    @Test
    void freshDestinationExtractsAndJournalsOnlyTopMissingPaths() throws Exception {
        // Recorded: the read against an empty /srv/app for app.tar.gz holding app/, app/bin/, app/bin/run, app/conf.
        Unarchive.Listing l = listing("tgz-fresh.txt");
        assertEquals("TgzArchive", l.state());
        Plan p = Unarchive.plan(args(Map.of("src", "/tmp/app.tar.gz", "dest", "/srv/app", "remote_src", true)), l, null);
        assertTrue(p.changes());
        assertTrue(p.steps().get(0).script().contains("tar --extract -C \"$d\" -z"));
        assertEquals(List.of(new Undo.RestorePath("/srv/app/app")), p.undo(), "the new top directory is removed, nothing under it journaled twice");
        assertEquals("TgzArchive", p.result().get("handler"));
    }

    @Test
    void extractedArchiveIsConverged() throws Exception {
        Unarchive.Listing l = listing("tgz-same.txt");
        Plan p = Unarchive.plan(args(Map.of("src", "/tmp/app.tar.gz", "dest", "/srv/app", "remote_src", true, "list_files", true)), l, null);
        assertFalse(p.changes());
        assertEquals(List.of("app/", "app/bin/", "app/bin/run", "app/conf"), p.result().get("files"));
    }

    @Test
    void changedFileIsJournaledForAByteForByteRestore() throws Exception {
        Unarchive.Listing l = listing("tgz-changed.txt");
        Plan p = Unarchive.plan(args(Map.of("src", "/tmp/app.tar.gz", "dest", "/srv/app", "remote_src", true)), l, null);
        assertTrue(p.changes());
        assertEquals(List.of(new Undo.RestorePath("/srv/app/app/bin/run"), new Undo.RestorePath("/srv/app/app/conf")), p.undo());
        assertTrue(p.diffs().get(0).before().contains("app/conf: Size differs"), p.diffs().toString());
    }

    @Test
    void modeAndOwnerDifferencesCountOnlyWhenNotManaged() throws Exception {
        List<String> lines = List.of("app/conf: Mode differs", "app/conf: Uid differs", "app/: Mod time differs", ": : Warning: Cannot stat: No such file or directory");
        assertEquals(3, Unarchive.differences(args(Map.of("src", "/a.tgz", "dest", "/d", "remote_src", true)), lines).size());
        assertEquals(List.of("app/: Mod time differs"),
                Unarchive.differences(args(Map.of("src", "/a.tgz", "dest", "/d", "remote_src", true, "mode", "0755", "owner", "root")), lines));
    }

    @Test
    void attributesOnAnExtractedArchiveArePlannedPerPath() throws Exception {
        Unarchive.Listing l = listing("tgz-same.txt");
        Plan p = Unarchive.plan(args(Map.of("src", "/tmp/app.tar.gz", "dest", "/srv/app", "remote_src", true, "mode", "0700")), l, null);
        assertTrue(p.changes());
        assertTrue(p.undo().contains(new Undo.RestorePath("/srv/app/app/conf")));
        assertTrue(p.steps().stream().allMatch(s -> s.script().startsWith("chmod ")));
    }

    @Test
    void errorsAreAnsiblesMessages() throws Exception {
        Unarchive.UnarchiveArgs a = args(Map.of("src", "/tmp/none.tgz", "dest", "/srv", "remote_src", true));
        assertEquals("Source '/tmp/none.tgz' does not exist", assertThrows(TaskException.class,
                () -> Unarchive.plan(a, Unarchive.Listing.parse(new CommandOutput(0, "@@state nosrc\n", "")), null)).getMessage());
        assertEquals("dest '/srv' must be an existing dir", assertThrows(TaskException.class,
                () -> Unarchive.plan(a, Unarchive.Listing.parse(new CommandOutput(0, "@@state nodest\n", "")), null)).getMessage());
        assertTrue(assertThrows(TaskException.class, () -> Unarchive.plan(a, Unarchive.Listing.parse(new CommandOutput(0, "@@state \n", "")), null))
                .getMessage().startsWith("Failed to find handler for \"/tmp/none.tgz\""));
        assertThrows(ArgException.class, () -> args(Map.of("src", "/a", "dest", "/d", "include", List.of("x"), "exclude", List.of("y"))));
        Unarchive.UnarchiveArgs controller = args(Map.of("src", "app.tgz", "dest", "/srv"));
        assertTrue(assertThrows(TaskException.class, () -> un.plan(controller, new FakeFacts(), FakeContext.apply()))
                .getMessage().contains("Could not find or access 'app.tgz'"));
    }

    @Test
    void membersEscapingDestAreNeitherJournaledNorTouched() throws Exception {
        Unarchive.Listing l = Unarchive.Listing.parse(new CommandOutput(0, "@@state TarArchive\n@@list\n../evil\nok\n@@diff\n"
                + "../evil: Warning: Cannot stat: No such file or directory\nok: Warning: Cannot stat: No such file or directory\n"
                + "@@stat\n../evil\t-\nok\t-\n", ""));
        Plan p = Unarchive.plan(args(Map.of("src", "/a.tar", "dest", "/d", "remote_src", true, "mode", "0600")), l, null);
        assertEquals(List.of(new Undo.RestorePath("/d/ok")), p.undo());
        assertFalse(p.steps().get(0).script().contains("evil"));
    }

    @Test
    void createsSkipsTheTask() throws Exception {
        Unarchive.UnarchiveArgs a = args(Map.of("src", "/a.tgz", "dest", "/d", "remote_src", true, "creates", "/d/app"));
        Plan p = un.plan(a, new FakeFacts().put("file:/d/app", "directory 755 0 0 4096 root root\n"), FakeContext.apply());
        assertEquals("skipped, since /d/app exists", p.skip());
    }

    /** This machine as the host: every format extracts, converges on the second read, and sees a changed file. */
    @Test
    void everyFormatConvergesOnThisMachine(@TempDir Path dir) throws Exception {
        Path content = Files.createDirectories(dir.resolve("content/app/bin"));
        Files.writeString(content.resolve("run"), "#!/bin/sh\necho hi\n");
        Files.writeString(dir.resolve("content/app/conf"), "a=1\n");
        for (String[] f : new String[][]{{"app.tar.gz", "tar -czf"}, {"app.tar", "tar -cf"}, {"app.tar.bz2", "tar -cjf"},
                {"app.tar.xz", "tar -cJf"}, {"app.zip", "zip -qr"}}) {
            Path archive = dir.resolve(f[0]);
            assertEquals(0, LocalHost.sh("cd " + dir.resolve("content") + " && " + f[1] + " " + archive + " app", null).rc());
            Path dest = Files.createDirectories(dir.resolve("dest-" + f[0]));
            Map<String, Object> raw = Map.of("src", archive.toString(), "dest", dest.toString(), "remote_src", true);
            Plan first = LocalHost.converge(un, raw, FakeContext.apply());
            assertTrue(first.changes(), f[0]);
            assertEquals("a=1\n", Files.readString(dest.resolve("app/conf")), f[0]);
            Files.writeString(dest.resolve("app/conf"), "a=2\n");
            Plan again = LocalHost.plan(un, args(raw), FakeContext.apply());
            assertTrue(again.changes(), f[0] + ": a changed file is seen");
            assertTrue(again.undo().contains(new Undo.RestorePath(dest.resolve("app/conf").toString())), f[0]);
        }
    }
}
