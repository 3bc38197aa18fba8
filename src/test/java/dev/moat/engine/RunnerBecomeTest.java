package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.transport.Command;

/**
 * {@code become_user} reaches the transport: task over block over play over the
 * {@code ansible_become_user} variable; reads are batched per user, never merged into a script
 * run as another.
 */
class RunnerBecomeTest {
    @TempDir Path tmp;

    private static final String MIXED = """
            - hosts: all
              become: true
              tasks:
                - copy: {dest: TMP/a, content: "1"}
                - copy: {dest: TMP/b, content: "2"}
                  become_user: postgres
                - block:
                    - copy: {dest: TMP/c, content: "3"}
                  become_user: app
                - copy: {dest: TMP/d, content: "4"}
                  become: false
            """;

    /** The commands that touch {@code path} and are the task's own (not the journal's, which runs as root). */
    private static List<Command> taskCommands(LocalTransport t, String path) {
        return t.commands.stream().filter(c -> c.script().contains(path) && !c.script().contains("journal-")).toList();
    }

    @Test
    void eachTaskRunsAsItsInnermostBecomeUser() throws Exception {
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(MIXED, "h1"), r.results::toString);
        LocalTransport t = r.transports.get("h1");
        assertWho(taskCommands(t, tmp + "/a"), true, null);
        assertWho(taskCommands(t, tmp + "/b"), true, "postgres");
        assertWho(taskCommands(t, tmp + "/c"), true, "app");
        assertWho(taskCommands(t, tmp + "/d"), false, null);
        assertTrue(t.commands.stream().filter(c -> c.script().contains("journal-")).allMatch(c -> c.become() && "root".equals(c.becomeUser())),
                "the journal is written as root, whoever the task or the inventory's ansible_become_user runs as");
    }

    @Test
    void theReadAheadIsOneScriptPerUserNeverMerged() throws Exception {
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(MIXED, "h1"));
        r.reset();
        assertEquals(ExitCode.OK, r.run(MIXED, "h1"));
        List<Command> reads = r.transports.get("h1").commands;
        assertEquals(4, reads.size(), "a converged rerun: one read per user and nothing else: " + reads);
        assertWho(List.of(reads.get(0)), true, null);
        assertTrue(reads.get(0).script().contains(tmp + "/a") && !reads.get(0).script().contains(tmp + "/b"));
        assertWho(List.of(reads.get(1)), true, "postgres");
        assertTrue(reads.get(1).script().contains(tmp + "/b") && !reads.get(1).script().contains(tmp + "/a"));
        assertWho(List.of(reads.get(2)), true, "app");
        assertWho(List.of(reads.get(3)), false, null);
        assertTrue(r.results.stream().noneMatch(TaskResult::changed));
    }

    @Test
    void oneUserKeepsOneRoundTrip() throws Exception {
        String play = """
                - hosts: all
                  become: true
                  become_user: app
                  tasks:
                    - copy: {dest: TMP/a, content: "1"}
                    - copy: {dest: TMP/b, content: "2"}
                """;
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(play, "h1"));
        r.reset();
        assertEquals(ExitCode.OK, r.run(play, "h1"));
        List<Command> cmds = r.transports.get("h1").commands;
        assertEquals(1, cmds.size(), cmds::toString);
        assertWho(cmds, true, "app");
    }

    @Test
    void theInventoryVariableIsTheFallbackAndATemplatedUserIsRendered() throws Exception {
        String play = """
                - hosts: all
                  become: true
                  vars:
                    db_user: postgres
                  tasks:
                    - copy: {dest: TMP/a, content: "1"}
                    - copy: {dest: TMP/b, content: "2"}
                      become_user: "{{ db_user }}"
                """;
        LocalRun r = new LocalRun(tmp);
        r.hostVars = Map.of("ansible_become_user", "deploy");
        assertEquals(ExitCode.OK, r.run(play, "h1"), r.results::toString);
        LocalTransport t = r.transports.get("h1");
        assertWho(taskCommands(t, tmp + "/a"), true, "deploy");
        assertWho(taskCommands(t, tmp + "/b"), true, "postgres");
    }

    @Test
    void becomeUserWithoutBecomeRunsAsTheLoginUser() throws Exception {
        String play = """
                - hosts: all
                  tasks:
                    - copy: {dest: TMP/a, content: "1"}
                      become_user: postgres
                """;
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(play, "h1"));
        assertWho(taskCommands(r.transports.get("h1"), tmp + "/a"), false, null);
    }

    private static void assertWho(List<Command> cmds, boolean become, String user) {
        assertFalse(cmds.isEmpty(), "no command");
        for (Command c : cmds) {
            assertEquals(become, c.become(), c.script());
            assertEquals(user, c.becomeUser(), c.script());
        }
    }
}
