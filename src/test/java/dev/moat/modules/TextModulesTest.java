package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;

/** {@code replace}, {@code blockinfile} and {@code ini_file}: arguments, plans from fixtures, and real writes through sh. */
class TextModulesTest {
    @TempDir
    Path dir;

    private static FakeFacts file(String content) {
        return new FakeFacts().put("file:/etc/x", "file 644 0 0 " + content.length() + " root root\n" + content)
                .put("file:/etc", "directory 755 0 0 0 root root\n");
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("regexp", assertThrows(ArgException.class,
                () -> LocalHost.bind(new Replace(), Map.of("path", "/x", "regexp", "(open"))).arg());
        assertEquals("backup", assertThrows(ArgException.class,
                () -> LocalHost.bind(new Replace(), Map.of("path", "/x", "regexp", "a", "backup", true))).arg());
        assertEquals("encoding", assertThrows(ArgException.class,
                () -> LocalHost.bind(new Replace(), Map.of("path", "/x", "regexp", "a", "encoding", "klingon"))).arg());
        assertEquals("insertafter", assertThrows(ArgException.class,
                () -> LocalHost.bind(new BlockInFile(), Map.of("path", "/x", "block", "a", "insertafter", "[x"))).arg());
        assertTrue(assertThrows(ArgException.class, () -> LocalHost.bind(new BlockInFile(),
                Map.of("path", "/x", "insertafter", "a", "insertbefore", "b"))).getMessage().contains("mutually exclusive"));
        assertEquals("value", assertThrows(ArgException.class,
                () -> LocalHost.bind(new IniFile(), Map.of("path", "/x", "section", "s", "option", "o"))).arg());
        assertTrue(assertThrows(ArgException.class, () -> LocalHost.bind(new IniFile(),
                Map.of("path", "/x", "option", "o", "value", "1", "values", List.of("2")))).getMessage().contains("mutually exclusive"));
    }

    @Test
    void aPlanIsOneAtomicWriteWithItsUndo() throws Exception {
        Replace r = new Replace();
        Plan p = r.plan(LocalHost.bind(r, Map.of("path", "/etc/x", "regexp", "1", "replace", "2")), file("k=1\n"), FakeContext.apply());
        assertEquals(List.of(Diff.file("/etc/x", "k=1\n", "k=2\n")), p.diffs());
        assertEquals(List.of(new Undo.RestorePath("/etc/x")), p.undo());
        assertEquals("1 replacements made", p.result().get("msg"));
        assertFalse(r.plan(LocalHost.bind(r, Map.of("path", "/etc/x", "regexp", "1", "replace", "2")), file("k=2\n"),
                FakeContext.apply()).changes());
        IniFile ini = new IniFile();
        Plan same = ini.plan(LocalHost.bind(ini, Map.of("path", "/etc/x", "section", "a", "option", "k", "value", "1", "mode", "0600")),
                file("[a]\nk = 1\n"), FakeContext.apply());
        assertEquals(1, same.steps().size(), "content right, mode wrong: only a chmod");
        assertTrue(same.steps().get(0).script().startsWith("chmod"));
    }

    @Test
    void forReal() throws Exception {
        Path f = dir.resolve("app.conf");
        Files.writeString(f, "[main]\nport = 80\n# end\n");
        LocalHost.converge(new IniFile(), Map.of("path", f.toString(), "section", "main", "option", "port", "value", "8080"),
                FakeContext.apply());
        LocalHost.converge(new Replace(), Map.of("path", f.toString(), "regexp", "^# (\\w+)$", "replace", "; \\1"), FakeContext.apply());
        LocalHost.converge(new BlockInFile(), Map.of("path", f.toString(), "block", "[extra]\nk = v", "insertbefore", "BOF"),
                FakeContext.apply());
        assertEquals("# BEGIN ANSIBLE MANAGED BLOCK\n[extra]\nk = v\n# END ANSIBLE MANAGED BLOCK\n[main]\nport = 8080\n; end\n",
                Files.readString(f));
        BlockInFile bif = new BlockInFile();
        assertFalse(LocalHost.plan(bif, LocalHost.bind(bif, Map.of("path", f.toString(), "block", "[extra]\nk = v",
                "insertbefore", "BOF")), FakeContext.apply()).changes(), "a second run changes nothing");
    }
}
