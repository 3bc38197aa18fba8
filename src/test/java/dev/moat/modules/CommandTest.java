package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;

class CommandTest {
    final Command command = Command.command();
    final Command shell = Command.shell();

    @TempDir
    Path dir;

    @Test
    void argumentsAreChecked() {
        assertEquals("cmd", command.spec().freeForm());
        assertTrue(assertThrows(ArgException.class, () -> LocalHost.bind(command, Map.of("cmd", "ls", "argv", List.of("ls"))))
                .getMessage().contains("mutually exclusive"));
        assertThrows(ArgException.class, () -> LocalHost.bind(command, Map.of("chdir", "/tmp")));
        assertEquals("argv", assertThrows(ArgException.class, () -> LocalHost.bind(shell, Map.of("argv", List.of("ls")))).arg(),
                "shell takes no argv");
        assertEquals("cmd", assertThrows(ArgException.class, () -> LocalHost.bind(command, Map.of("cmd", "echo 'open"))).arg());
    }

    @Test
    void commandQuotesEveryWord() throws Exception {
        Command.CommandArgs a = LocalHost.bind(command, Map.of("cmd", "echo \"a b\" 'c$HOME' | wc"));
        assertEquals("echo 'a b' 'c$HOME' '|' wc", a.script());
        assertEquals("printf '%s\\n' 'it'\\''s'", LocalHost.bind(command, Map.of("argv", List.of("printf", "%s\\n", "it's"))).script());
    }

    @Test
    void createsAndRemovesDecide() throws Exception {
        Command.CommandArgs a = LocalHost.bind(command, Map.of("cmd", "touch done", "chdir", "/opt/app", "creates", "done"));
        assertEquals("/opt/app/done", a.creates());
        Plan skip = command.plan(a, new FakeFacts().put("exists:/opt/app/done", "yes\n"), FakeContext.apply());
        assertFalse(skip.changes());
        assertNull(skip.skip());
        assertEquals("skipped, since /opt/app/done exists", skip.result().get("stdout"));
        Plan run = command.plan(a, new FakeFacts().put("exists:/opt/app/done", "no\n"), FakeContext.checkMode());
        assertTrue(run.changes(), "in check mode creates decides: it would run");
        assertEquals(List.of(new Undo.Irreversible("command: touch done")), run.undo());
        assertEquals(Set.of("*"), run.touches());
        Command.CommandArgs r = LocalHost.bind(shell, Map.of("cmd", "rm x", "removes", "/x"));
        assertFalse(shell.plan(r, new FakeFacts().put("exists:/x", "no\n"), FakeContext.apply()).changes());
    }

    @Test
    void checkModeSkipsWithoutCreates() throws Exception {
        Plan p = shell.plan(LocalHost.bind(shell, Map.of("cmd", "reboot")), new FakeFacts(), FakeContext.checkMode());
        assertFalse(p.changes());
        assertNotNull(p.skip());
    }

    @Test
    void runsForRealWithChdirStdinAndCreates() throws Exception {
        Path d = Files.createDirectory(dir.resolve("work dir"));
        Map<String, Object> args = Map.of("cmd", "cat > out.txt; echo ok", "chdir", d.toString(), "stdin", "hello", "creates", "out.txt");
        Plan p = LocalHost.converge(shell, args, FakeContext.apply());
        assertEquals(1, p.steps().size());
        assertEquals("hello\n", Files.readString(d.resolve("out.txt")));
        Plan cmd = LocalHost.plan(command, LocalHost.bind(command, Map.of("argv", List.of("printf", "%s|", "a b", "$HOME"), "chdir", d.toString())),
                FakeContext.apply());
        FactOutput out = LocalHost.sh(cmd.steps().get(0).script(), null);
        assertEquals("a b|$HOME|", out.text());
        Plan badDir = LocalHost.plan(command, LocalHost.bind(command, Map.of("cmd", "true", "chdir", dir.resolve("none").toString())), FakeContext.apply());
        assertNotEquals(0, LocalHost.execute(badDir).rc(), "a missing chdir fails the step");
    }
}
