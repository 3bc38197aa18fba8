package dev.moat.playbook;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.yaml.YamlException;

/** How the keywords of how a task runs load: inherited, merged, templated, or refused with their place. */
class TaskParserTest {
    @TempDir Path dir;

    private Playbook load(String yaml) throws Exception {
        Path f = dir.resolve("site.yml");
        Files.writeString(f, yaml);
        return PlaybookLoader.load(f, new FakeCatalog());
    }

    private String error(String yaml, int line, int column) throws Exception {
        Path f = dir.resolve("site.yml");
        Files.writeString(f, yaml);
        YamlException e = assertThrows(YamlException.class, () -> PlaybookLoader.load(f, new FakeCatalog()));
        assertEquals(ExitCode.INVALID, e.exitCode());
        String prefix = f + ":" + line + ":" + column + ": ";
        assertTrue(e.getMessage().startsWith(prefix), "expected " + prefix + " in: " + e.getMessage());
        return e.getMessage().substring(prefix.length());
    }

    @Test
    void environmentLayersPlayThenBlockThenTask() throws Exception {
        Playbook pb = load("""
                - hosts: all
                  environment: {A: play}
                  tasks:
                    - block:
                        - debug: msg=hi
                          environment: {A: "{{ task }}"}
                      environment: [{B: block}]
                """);
        Task t = pb.plays().get(0).allTasks().get(0);
        assertEquals(List.of(Map.of("A", "play"), Map.of("B", "block"), Map.of("A", "{{ task }}")), t.execution().environment());
    }

    @Test
    void templatedBooleansAreKeptForTheHostAndLiteralsInherited() throws Exception {
        Playbook pb = load("""
                - hosts: all
                  no_log: true
                  tasks:
                    - block:
                        - name: t
                          debug: msg=hi
                          ignore_errors: "{{ ansible_check_mode }}"
                        - name: inner literal wins
                          debug: msg=hi
                          check_mode: false
                      check_mode: "{{ dry }}"
                      any_errors_fatal: true
                      run_once: yes
                      throttle: 2
                """);
        Task t = pb.plays().get(0).allTasks().get(0);
        assertEquals(Map.of("ignore_errors", "{{ ansible_check_mode }}", "check_mode", "{{ dry }}"), t.execution().templated());
        assertTrue(t.noLog(), "the play's literal no_log");
        assertFalse(t.ignoreErrors(), "rendered per host; false until then");
        assertTrue(t.execution().anyErrorsFatal());
        assertTrue(t.execution().runOnce());
        assertEquals(2, t.execution().throttle());
        Task inner = pb.plays().get(0).allTasks().get(1);
        assertEquals(Boolean.FALSE, inner.checkMode());
        assertNull(inner.execution().template("check_mode"), "the task's literal overrides the block's template");
    }

    @Test
    void aLiteralOfTheWrongKindIsALoadError() throws Exception {
        assertEquals("ignore_errors: expected true or false, not 'maybe'",
                error("- hosts: all\n  tasks:\n    - debug: msg=hi\n      ignore_errors: maybe\n", 4, 22));
        assertEquals("throttle: expected a whole number of hosts (0: no limit), not 'many'",
                error("- hosts: all\n  tasks:\n    - debug: msg=hi\n      throttle: many\n", 4, 17));
    }

    @Test
    void notifyOnABlockReachesEveryTaskWithoutItsOwn() throws Exception {
        Playbook pb = load("""
                - hosts: all
                  tasks:
                    - block:
                        - debug: msg=one
                        - debug: msg=two
                          notify: other
                      notify: topic
                  handlers:
                    - name: h
                      debug: msg=h
                      listen: topic
                    - name: other
                      debug: msg=o
                """);
        List<Task> ts = pb.plays().get(0).allTasks();
        assertEquals(List.of("topic"), ts.get(0).notifies());
        assertEquals(List.of("other"), ts.get(1).notifies());
        assertEquals("notify: no handler named 'nope' in this play (handlers: h)", error("- hosts: all\n  tasks:\n    - block:\n"
                + "        - debug: msg=one\n      notify: nope\n  handlers:\n    - name: h\n      debug: msg=h\n", 5, 15));
    }

    @Test
    void becomeMethodIsSudoOnly() throws Exception {
        load("- hosts: all\n  become_method: sudo\n  tasks:\n    - debug: msg=hi\n      become_method: ansible.builtin.sudo\n");
        assertTrue(error("- hosts: all\n  become_method: su\n  tasks:\n    - debug: msg=hi\n", 2, 18)
                .startsWith("become_method: su is not supported by moat, which becomes another user through sudo only"));
        assertTrue(error("- hosts: all\n  tasks:\n    - block:\n        - debug: msg=hi\n      become_method: doas\n", 5, 22)
                .startsWith("become_method: doas is not supported by moat"));
        assertTrue(error("- hosts: all\n  tasks:\n    - debug: msg=hi\n      become_flags: '-i'\n", 4, 21)
                .startsWith("become_flags: '-i' is not supported by moat"));
        load("- hosts: all\n  become_flags: ''\n  tasks:\n    - debug: msg=hi\n");
    }

    @Test
    void strategyLinearOrFreeAndOthersRefusedByName() throws Exception {
        assertEquals("free", load("- hosts: all\n  strategy: free\n  tasks:\n    - debug: msg=hi\n").plays().get(0).strategy());
        assertEquals("linear", load("- hosts: all\n  tasks:\n    - debug: msg=hi\n").plays().get(0).strategy());
        Playbook free = load("- hosts: all\n  strategy: free\n  tasks:\n    - debug: msg=hi\n      run_once: true\n");
        assertTrue(free.warnings().get(0).message().startsWith("Using run_once with the free strategy is not currently supported."),
                free.warnings()::toString);
        assertEquals("strategy: host_pinned is not supported by moat (it runs linear and free)",
                error("- hosts: all\n  strategy: host_pinned\n  tasks:\n    - debug: msg=hi\n", 2, 13));
    }

    @Test
    void remoteUserOnPlaysBlocksAndTasksTheInnermostWins() throws Exception {
        assertEquals("deploy", load("- hosts: all\n  remote_user: deploy\n  tasks:\n    - debug: msg=hi\n").plays().get(0).remoteUser());
        Playbook pb = load("""
                - hosts: all
                  remote_user: root
                  tasks:
                    - debug: msg=play
                    - debug: msg=task
                      remote_user: deploy
                    - block:
                        - debug: msg=block
                        - debug: msg=inner
                          remote_user: "{{ who }}"
                      remote_user: ops
                """);
        List<Task> tasks = pb.plays().get(0).allTasks();
        // The play's own remote_user is the play's (Play#remoteUser), not a task's.
        assertEquals(java.util.Arrays.asList(null, "deploy", "ops", "{{ who }}"),
                tasks.stream().map(t -> t.execution().remoteUser()).toList());
        assertEquals("remote_user: expected a user name to log in as, not 'two words'",
                error("- hosts: all\n  tasks:\n    - debug: msg=hi\n      remote_user: two words\n", 4, 20));
    }

    @Test
    void actionNamesTheModuleInItsOldForms() throws Exception {
        Playbook pb = load("""
                - hosts: all
                  tasks:
                    - action: command echo hi
                    - action: {module: copy, dest: /x, content: y}
                """);
        List<Task> ts = pb.plays().get(0).allTasks();
        assertEquals("command", ts.get(0).module());
        assertEquals(Map.of("cmd", "echo hi"), ts.get(0).args());
        assertEquals("copy", ts.get(1).module());
        assertEquals(Map.of("dest", "/x", "content", "y"), ts.get(1).args());
        assertTrue(error("- hosts: all\n  tasks:\n    - action: [command]\n", 3, 15).startsWith("action: expected a module and its arguments"));
        assertEquals("copy: unknown argument 'dst'; did you mean 'dest'? (valid: dest, src, content, mode, owner, group, backup, validate)",
                error("- hosts: all\n  tasks:\n    - action: {module: copy, dst: /x, content: y}\n", 3, 30));
    }

    @Test
    void collectionsResolveShortModuleNames() throws Exception {
        assertEquals("collections: 'general' is not a collection name (namespace.name, such as community.general)",
                error("- hosts: all\n  collections: [general]\n  tasks:\n    - debug: msg=hi\n", 2, 17));
        Playbook pb = load("- hosts: all\n  collections: [community.general]\n  tasks:\n"
                + "    - htpasswd: {path: /etc/nginx/.htpasswd, name: api, password: x}\n");
        Task t = pb.plays().get(0).allTasks().get(0);
        assertEquals("htpasswd", t.module());
        assertEquals(Map.of("api", "x"), t.args().get("users"), "read as community.general.htpasswd's arguments");
        Files.createDirectories(dir.resolve("roles/web/meta"));
        Files.createDirectories(dir.resolve("roles/web/tasks"));
        Files.writeString(dir.resolve("roles/web/meta/main.yml"), "collections: [community.general]\n");
        Files.writeString(dir.resolve("roles/web/tasks/main.yml"), "- htpasswd: {path: /p, name: api, password: x}\n");
        Task inRole = load("- hosts: all\n  roles: [web]\n").plays().get(0).allTasks().get(0);
        assertEquals(Map.of("api", "x"), inRole.args().get("users"), "a role's meta/main.yml collections apply to its tasks");
    }

    @Test
    void delegationToTheControllerOrAnInventoryHost() throws Exception {
        Playbook pb = load("""
                - hosts: all
                  tasks:
                    - local_action: command echo hi
                    - debug: msg=hi
                      delegate_to: "{{ where }}"
                - hosts: all
                  connection: local
                  tasks:
                    - debug: msg=hi
                """);
        assertEquals("localhost", pb.plays().get(0).allTasks().get(0).execution().delegateTo());
        assertEquals("command", pb.plays().get(0).allTasks().get(0).module());
        assertEquals("{{ where }}", pb.plays().get(0).allTasks().get(1).execution().delegateTo(), "rendered per host");
        assertFalse(pb.plays().get(0).onController());
        assertTrue(pb.plays().get(1).onController());
        Task toHost = load("- hosts: all\n  tasks:\n    - debug: msg=hi\n      delegate_to: web1\n      delegate_facts: true\n")
                .plays().get(0).allTasks().get(0);
        assertEquals("web1", toHost.execution().delegateTo());
        assertTrue(toHost.execution().delegateFacts());
        Task inBlock = load("- hosts: all\n  tasks:\n    - block:\n        - debug: msg=hi\n      delegate_to: db\n      delegate_facts: true\n")
                .plays().get(0).allTasks().get(0);
        assertEquals("db", inBlock.execution().delegateTo(), "a block's delegate_to reaches its tasks");
        assertTrue(inBlock.execution().delegateFacts());
        assertEquals("connection: winrm is not supported by moat (it connects with ssh, or local)",
                error("- hosts: all\n  connection: winrm\n  tasks:\n    - debug: msg=hi\n", 2, 15));
    }
}
