package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.MoatException;
import dev.moat.engine.Catalog;
import dev.moat.engine.LocalRun;
import dev.moat.engine.TaskResult;
import dev.moat.modules.Modules;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.PlaybookLoader;

/**
 * {@code --start-at-task} against the tasks {@code ansible-playbook} ran with it on the same
 * playbook (a role, a block with always, later plays; recorded in
 * {@code src/test/resources/cli/startat/expected.txt}), and {@code --step}'s questions with a fake
 * terminal; the runs go through the real engine on local hosts.
 */
class StartAtStepTest {
    private static final Path DIR = Path.of("src/test/resources/cli/startat").toAbsolutePath();

    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        PlaybookRun.terminal = Terminal::system;
    }

    private Playbook site() {
        return PlaybookLoader.load(DIR.resolve("site.yml"), Catalog.of(Modules.builtin()));
    }

    /** The recorded cases: the name given, then the TASK lines Ansible printed (its role prefix kept). */
    private static Map<String, List<String>> recorded() throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : Files.readAllLines(DIR.resolve("expected.txt"))) {
            if (line.startsWith("== ")) out.put(line.substring(3), current = new ArrayList<>());
            else if (line.startsWith("TASK ")) current.add(line.substring(5));
        }
        return out;
    }

    @Test
    void startsWhereAnsiblePlaybookStarts() throws Exception {
        for (Map.Entry<String, List<String>> c : recorded().entrySet()) {
            if (c.getKey().equals("nothing here")) continue;
            Playbook pb = site();
            StartAt start = StartAt.find(pb, c.getKey());
            LocalRun run = new LocalRun(tmp);
            run.run(pb, p -> start.runs(pb.plays().indexOf(p)) ? List.of("h1") : List.of(), start);
            List<String> ran = run.results.stream().map(TaskResult::task).toList();
            List<String> expected = c.getValue().stream().map(t -> t.replace("r : ", "")).toList();
            assertEquals(expected, ran, "--start-at-task '" + c.getKey() + "'");
        }
    }

    @Test
    void aNameMatchingNoTaskIsRefusedBeforeAnyHost() throws Exception {
        assertTrue(Files.readString(DIR.resolve("expected.txt")).contains("ERROR No matching task \"nothing here\" found."),
                "Ansible says so too, after running the plays");
        MoatException e = assertThrows(MoatException.class, () -> StartAt.find(site(), "nothing here"));
        assertEquals(64, e.exitCode());
        assertTrue(e.getMessage().startsWith("--start-at-task 'nothing here' matches no task of "), e.getMessage());
    }

    @Test
    void globsAreFnmatchs() {
        assertTrue(StartAt.fnmatch("in block [ab]").matcher("in block b").matches());
        assertFalse(StartAt.fnmatch("in block [!ab]").matcher("in block b").matches());
        assertTrue(StartAt.fnmatch("ins[a-c]all *").matcher("install nginx").matches() == false);
        assertTrue(StartAt.fnmatch("in[r-t]tall *").matcher("install nginx").matches());
        assertTrue(StartAt.fnmatch("a.b(c)?").matcher("a.b(c)!").matches());
        assertFalse(StartAt.fnmatch("a.b").matcher("axb").matches());
    }

    @Test
    void stepAsksOncePerTaskForEveryHostAndContinueStopsAsking() throws Exception {
        FakeTerminal t = new FakeTerminal("y", "", "n", "c");
        Playbook pb = site();
        LocalRun run = new LocalRun(tmp);
        run.run(pb, p -> List.of("h1", "h2"), new Step(t));
        assertEquals(List.of("line Perform task: TASK: one (N)o/(y)es/(c)ontinue: ",
                "line Perform task: TASK: r : role first (N)o/(y)es/(c)ontinue: ",
                "line Perform task: TASK: r : role second (N)o/(y)es/(c)ontinue: ",
                "line Perform task: TASK: in block a (N)o/(y)es/(c)ontinue: "), t.log);
        List<String> ran = run.results.stream().filter(r -> r.host().equals("h2")).map(TaskResult::task).toList();
        assertEquals(List.of("one", "in block a", "in block b", "always c", "after", "three"), ran);
        assertEquals(ran, run.results.stream().filter(r -> r.host().equals("h1")).map(TaskResult::task).toList());
    }

    @Test
    void stepWithoutATerminalIsRefusedWithExit64() throws Exception {
        PlaybookRun.terminal = () -> null;
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new String[] {"apply", DIR.resolve("site.yml").toString(), "-i", "127.0.0.1:1,", "--step"},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(64, code, err.toString());
        assertTrue(err.toString().contains("--step asks before each task and needs a terminal"), err.toString());
    }

    @Test
    void startAtTaskMatchingNothingIsExit64FromTheCommandLine() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new String[] {"check", DIR.resolve("site.yml").toString(), "-i", "127.0.0.1:1,", "--start-at-task", "nope*"},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(64, code, err.toString());
        assertTrue(err.toString().contains("--start-at-task 'nope*' matches no task"), err.toString());
    }
}
