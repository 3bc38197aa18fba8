package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.transport.Command;

/**
 * A task's own {@code remote_user}: its reads and steps run over a connection of that user's,
 * opened once when a task first needs it, while the journal (and the rollback from it) stays on the
 * host's own connection, as root; {@code ansible_user} beats the keyword, as in Ansible
 * ({@code src/test/resources/keywords/remote-user-task.txt}).
 */
class RemoteUserRunTest {
    @TempDir Path tmp;

    private static final String PLAY = """
            - hosts: all
              remote_user: root
              tasks:
                - copy: {dest: TMP/as-root, content: "1"}
                - name: as deploy
                  copy: {dest: TMP/as-deploy, content: "2"}
                  remote_user: deploy
                - block:
                    - copy: {dest: TMP/as-deploy-become, content: "3"}
                  remote_user: deploy
                  become: true
            """;

    /** The commands that touch {@code path} and are the task's own (not the journal's). */
    private static List<Command> taskCommands(LocalTransport t, String path) {
        return t == null ? List.of() : t.commands.stream().filter(c -> c.script().contains(path) && !c.script().contains("journal-")).toList();
    }

    private static boolean journals(LocalTransport t) {
        return t != null && t.commands.stream().anyMatch(c -> c.script().contains("journal-"));
    }

    @Test
    void aTaskWithItsOwnRemoteUserRunsOverThatUsersConnectionAndTheJournalStaysOnTheHosts() throws Exception {
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(PLAY, "h1"), r.results::toString);
        assertEquals(List.of("h1 as root", "h1 as deploy"), r.connects, "one connection per login user, the second opened when needed");
        LocalTransport own = r.transports.get("h1"), deploy = r.transports.get("h1@deploy");
        assertFalse(taskCommands(own, tmp + "/as-root").isEmpty());
        assertTrue(taskCommands(deploy, tmp + "/as-root").isEmpty());
        assertTrue(taskCommands(own, tmp + "/as-deploy\"").isEmpty() && taskCommands(own, tmp + "/as-deploy'").isEmpty(),
                "nothing of deploy's task over root's connection");
        assertFalse(taskCommands(deploy, tmp + "/as-deploy").isEmpty());
        // become on top of the login: sudo over deploy's connection.
        assertTrue(taskCommands(deploy, tmp + "/as-deploy-become").stream().allMatch(c -> c.become()), "become over deploy's login");
        assertTrue(journals(own), "the journal is taken over the host's own connection");
        assertFalse(journals(deploy), "never over another user's: one journal on the host, as root");
        assertEquals(3, r.ledgers.get("h1").entries().size(), "every change is in the host's one ledger");
    }

    @Test
    void aNoOpRerunReadsOnceForEachLoginAndBecomeUser() throws Exception {
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(PLAY, "h1"));
        r.reset();
        assertEquals(ExitCode.OK, r.run(PLAY, "h1"));
        assertTrue(r.results.stream().noneMatch(TaskResult::changed), r.results::toString);
        assertEquals(1, r.transports.get("h1").commands.size(), "root: one read: " + r.transports.get("h1").commands);
        List<Command> deploy = r.transports.get("h1@deploy").commands;
        assertEquals(2, deploy.size(), "deploy: one read as deploy, one through sudo: " + deploy);
        assertFalse(deploy.get(0).become());
        assertTrue(deploy.get(1).become());
    }

    @Test
    void aFailureRollsBackWhatEachUserWroteOverTheHostsOwnConnection() throws Exception {
        Files.writeString(tmp.resolve("as-deploy"), "before");
        LocalRun r = new LocalRun(tmp);
        int exit = r.run(PLAY + """
                    - command: "false"
                      remote_user: deploy
                """, "h1");
        assertEquals(ExitCode.FAILED, exit, r.results::toString);
        assertEquals("before", Files.readString(tmp.resolve("as-deploy")), "deploy's change is undone");
        assertFalse(Files.exists(tmp.resolve("as-root")));
        assertFalse(Files.exists(tmp.resolve("as-deploy-become")));
        TaskResult rb = r.task("h1", "rollback");
        assertEquals(Status.OK, rb.status(), rb.message());
        assertTrue(r.transports.get("h1").commands.stream().anyMatch(c -> c.script().contains("journal-") && c.script().contains("tar")
                && c.script().contains("-xpf")), "restored over the host's own connection");
    }

    @Test
    void theInventorysAnsibleUserBeatsTheKeyword() throws Exception {
        LocalRun r = new LocalRun(tmp);
        r.hostVars = Map.of("ansible_user", "root");
        assertEquals(ExitCode.OK, r.run(PLAY, "h1"), r.results::toString);
        assertEquals(List.of("h1 as root"), r.connects);
    }

    @Test
    void aTemplatedRemoteUserIsRenderedForTheHost() throws Exception {
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run("""
                - hosts: all
                  vars: {who: deploy}
                  tasks:
                    - copy: {dest: TMP/t, content: "1"}
                      remote_user: "{{ who }}"
                """, "h1"), r.results::toString);
        assertEquals(List.of("h1 as null", "h1 as deploy"), r.connects);
    }

    @Test
    void aLoginThatIsRefusedFailsTheTaskAndRollsTheHostBack() throws Exception {
        LocalRun r = new LocalRun(tmp);
        r.refusedLogins = List.of("deploy");
        int exit = r.run(PLAY, "h1");
        assertEquals(ExitCode.FAILED, exit, "a failed task, not an unreachable host: " + r.results);
        TaskResult t = r.task("h1", "as deploy");
        assertEquals(Status.FAILED, t.status());
        assertTrue(t.message().contains("could not log in as deploy (remote_user): authentication as deploy on h1 failed"), t.message());
        assertFalse(Files.exists(tmp.resolve("as-root")), "the root task's change was rolled back");
    }

    @Test
    void aLaterPlayWithAnotherRemoteUserRunsOverThatUsersConnection() throws Exception {
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run("""
                - hosts: all
                  remote_user: root
                  tasks:
                    - copy: {dest: TMP/one, content: "1"}
                - hosts: all
                  remote_user: deploy
                  tasks:
                    - copy: {dest: TMP/two, content: "2"}
                """, "h1"), r.results::toString);
        assertEquals(List.of("h1 as root", "h1 as deploy"), r.connects);
        assertFalse(taskCommands(r.transports.get("h1@deploy"), tmp + "/two").isEmpty());
        assertEquals(2, r.ledgers.get("h1").entries().size());
    }
}
