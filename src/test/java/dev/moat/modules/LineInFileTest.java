package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

class LineInFileTest {
    final LineInFile lif = new LineInFile();

    @TempDir
    Path dir;

    private String apply(String content, Object... kv) throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("path", "/etc/x");
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        LineInFile.LineArgs a = LocalHost.bind(lif, m);
        return a.present() ? LineInFile.present(content, a) : LineInFile.absent(content, a);
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("line", assertThrows(ArgException.class, () -> LocalHost.bind(lif, Map.of("path", "/x", "regexp", "a"))).arg());
        assertEquals("regexp", assertThrows(ArgException.class,
                () -> LocalHost.bind(lif, Map.of("path", "/x", "line", "a", "regexp", "(unclosed"))).arg());
        assertTrue(assertThrows(ArgException.class, () -> LocalHost.bind(lif,
                Map.of("path", "/x", "line", "a", "insertafter", "EOF", "insertbefore", "BOF"))).getMessage().contains("mutually exclusive"));
        assertEquals("regexp", assertThrows(ArgException.class, () -> LocalHost.bind(lif, Map.of("path", "/x", "state", "absent"))).arg());
    }

    @Test
    void ansibleSemantics() throws Exception {
        String sshd = "Port 22\n#PasswordAuthentication yes\nPasswordAuthentication yes\nUsePAM yes\n";
        assertEquals("Port 22\n#PasswordAuthentication yes\nPasswordAuthentication no\nUsePAM yes\n",
                apply(sshd, "regexp", "^#?PasswordAuthentication", "line", "PasswordAuthentication no"), "the last match is replaced");
        assertEquals(sshd + "X11Forwarding no\n", apply(sshd, "regexp", "^X11Forwarding", "line", "X11Forwarding no"), "no match: appended");
        assertEquals(sshd, apply(sshd, "regexp", "^Nope", "line", "UsePAM yes"), "no match but the line exists: unchanged");
        assertEquals(sshd, apply(sshd, "line", "Port 22"), "no regexp, line present");
        assertEquals("a\nb", apply("a\nb", "line", "b"));
        assertEquals("a\nb\nc\n", apply("a\nb", "line", "c"), "a missing final newline is added before appending");
        assertEquals("Port 22\nListen 1\n#PasswordAuthentication yes\nPasswordAuthentication yes\nUsePAM yes\n",
                apply(sshd, "line", "Listen 1", "insertafter", "^Port"));
        assertEquals("new\n" + sshd, apply(sshd, "line", "new", "insertbefore", "BOF"));
        assertEquals("Port 22\n#PasswordAuthentication yes\nnew\nPasswordAuthentication yes\nUsePAM yes\n",
                apply(sshd, "line", "new", "insertbefore", "^PasswordAuth"));
        assertEquals("a\nk=1\nb\nk=2\nnew\n", apply("a\nk=1\nb\nk=2\n", "line", "new", "insertafter", "^k="), "after the last match");
        assertEquals(sshd + "new\n", apply(sshd, "line", "new", "insertafter", "^nomatch"), "no insertafter match: EOF");
        assertEquals("Port 22\nUsePAM yes\n", apply(sshd, "state", "absent", "regexp", "PasswordAuthentication"));
        assertEquals("a\r\nB\r\n", apply("a\r\nb\r\n", "regexp", "^b", "line", "B"), "line endings kept");
    }

    @Test
    void fixturesAndPlan() throws Exception {
        LineInFile.LineArgs a = LocalHost.bind(lif, Map.of("path", "/etc/x", "regexp", "^k=", "line", "k=2"));
        FakeFacts f = new FakeFacts().put("file:/etc/x", "file 644 0 0 4 root root\nk=1\n").put("file:/etc", "directory 755 0 0 0 root root\n");
        Plan p = lif.plan(a, f, FakeContext.apply());
        assertEquals(List.of(Diff.file("/etc/x", "k=1\n", "k=2\n")), p.diffs());
        assertEquals(List.of(new Undo.RestorePath("/etc/x")), p.undo());
        FakeFacts same = new FakeFacts().put("file:/etc/x", "file 644 0 0 4 root root\nk=2\n").put("file:/etc", "directory 755 0 0 0 root root\n");
        assertFalse(lif.plan(a, same, FakeContext.apply()).changes());
        FakeFacts absent = new FakeFacts().put("file:/etc/x", "absent\n").put("file:/etc", "directory 755 0 0 0 root root\n");
        assertEquals("file /etc/x does not exist (create: true creates it)",
                assertThrows(TaskException.class, () -> lif.plan(a, absent, FakeContext.apply())).getMessage());
    }

    @Test
    void forReal() throws Exception {
        Path f = dir.resolve("sshd config");
        Files.writeString(f, "Port 22\nPasswordAuthentication yes\n");
        LocalHost.converge(lif, Map.of("path", f.toString(), "regexp", "^PasswordAuthentication", "line", "PasswordAuthentication no"), FakeContext.apply());
        assertEquals("Port 22\nPasswordAuthentication no\n", Files.readString(f));
        LocalHost.converge(lif, Map.of("path", f.toString(), "state", "absent", "regexp", "^Port"), FakeContext.apply());
        assertEquals("PasswordAuthentication no\n", Files.readString(f));
        Path created = dir.resolve("new.conf");
        LocalHost.converge(lif, Map.of("path", created.toString(), "line", "x=1", "create", true, "mode", "0600"), FakeContext.apply());
        assertEquals("x=1\n", Files.readString(created));
        assertFalse(LocalHost.plan(lif, LocalHost.bind(lif, Map.of("path", dir.resolve("gone").toString(), "state", "absent", "line", "x")),
                FakeContext.apply()).changes(), "absent on a missing file is converged");
    }
}
