package dev.moat.playbook;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.yaml.YamlException;

/** Roles, imports, includes and Ansible's module names as the loader reads them. */
class RolesLoaderTest {
    @TempDir Path dir;

    private Path write(String name, String text) throws Exception {
        Files.createDirectories(dir.resolve(name).getParent());
        return Files.writeString(dir.resolve(name), text);
    }

    private Playbook load(String yaml) throws Exception {
        return PlaybookLoader.load(write("site.yml", yaml), new FakeCatalog(),
                new RolesPath(List.of(dir.resolve("elsewhere")), List.of(dir.resolve("collections"))));
    }

    private YamlException error(String yaml) throws Exception {
        YamlException e = assertThrows(YamlException.class, () -> load(yaml));
        assertEquals(ExitCode.INVALID, e.exitCode());
        return e;
    }

    /** Each task's display name (flushes as "flush"), depth first. */
    private static List<String> names(List<TaskItem> items) {
        List<String> out = new ArrayList<>();
        for (TaskItem i : items) {
            if (i instanceof Task t) out.add(t.module().equals(Actions.META) && t.name() == null ? "flush" : t.displayName());
            else if (i instanceof Block b) out.addAll(names(b.block()));
            else if (i instanceof Include inc) out.add("include " + inc.file());
        }
        return out;
    }

    private void role(String name) throws Exception {
        write("roles/" + name + "/tasks/main.yml", "- name: " + name + " task\n  debug: msg={{ " + name + "_var }}\n");
        write("roles/" + name + "/defaults/main.yml", "---\n" + name + "_var: default\n");
    }

    @Test
    void playOrderIsPreTasksRolesTasksPostTasksWithHandlerFlushes() throws Exception {
        role("web");
        write("roles/web/handlers/main.yml", "- name: reload web\n  debug: msg=reload\n");
        write("roles/web/vars/main.yml", "---\n# only a comment, as ansible-galaxy init writes\n");
        Playbook pb = load("""
                - hosts: all
                  pre_tasks: [{name: pre, debug: msg=pre}]
                  roles: [web]
                  tasks: [{name: task, debug: msg=t, notify: reload web}]
                  post_tasks: [{name: post, debug: msg=post}]
                  handlers: [{name: mine, debug: msg=h}]
                """);
        Play p = pb.plays().get(0);
        assertEquals(List.of("pre", "flush", "web task", "task", "flush", "post"), names(p.tasks()));
        assertEquals(List.of("reload web", "mine"), p.handlers().stream().map(Task::name).toList());
        assertEquals(Map.of("web_var", "default"), p.roleDefaults());
        Task t = ((Block) p.tasks().get(2)).block().stream().map(Task.class::cast).findFirst().orElseThrow();
        assertEquals("web", t.role().name());
        assertEquals(dir.resolve("roles/web"), t.role().path());
    }

    @Test
    void roleEntriesTakeKeywordsAndParamsAndDependenciesRunFirstAndOnce() throws Exception {
        role("common");
        role("app");
        write("roles/app/meta/main.yml", "dependencies:\n  - common\n");
        write("roles/app/vars/main.yml", "app_var: vars\n");
        Playbook pb = load("""
                - hosts: all
                  roles:
                    - { role: app, app_port: 8080, when: "x is defined", tags: [app], vars: {app_var: entry, other: 1} }
                    - common
                """);
        Play p = pb.plays().get(0);
        assertEquals(List.of("common task", "app task"), names(p.tasks()), "common runs once: as app's dependency");
        Block app = (Block) p.tasks().get(1);
        Task t = (Task) app.block().get(0);
        assertEquals(List.of("x is defined"), t.when());
        assertTrue(t.tags().contains("app"));
        assertEquals(8080, t.role().params().get("app_port"));
        // vars/main.yml over the entry's vars:, as in Ansible; the dependency's defaults below the role's own.
        assertEquals("vars", t.role().vars().get("app_var"));
        assertEquals(1, t.role().vars().get("other"));
        assertEquals("default", t.role().defaults().get("common_var"));
    }

    @Test
    void allowDuplicatesRunsARoleAgain() throws Exception {
        role("common");
        write("roles/common/meta/main.yml", "allow_duplicates: true\n");
        Playbook pb = load("- hosts: all\n  roles: [common, common]\n");
        assertEquals(List.of("common task", "common task"), names(pb.plays().get(0).tasks()));
    }

    @Test
    void rolesAreFoundOnTheRolesPathBesideThePlaybookAndInCollections() throws Exception {
        write("elsewhere/far/tasks/main.yml", "- {name: far, debug: msg=x}\n");
        write("collections/ansible_collections/acme/tools/roles/greet/tasks/main.yml", "- {name: greet, debug: msg=x}\n");
        write("near/tasks/main.yml", "- {name: near, debug: msg=x}\n");
        Playbook pb = load("- hosts: all\n  roles: [far, acme.tools.greet, near]\n");
        assertEquals(List.of("far", "greet", "near"), names(pb.plays().get(0).tasks()));
        YamlException e = error("- hosts: all\n  roles: [nowhere]\n");
        assertTrue(e.getMessage().contains("the role 'nowhere' was not found in " + dir.resolve("roles") + ":" + dir.resolve("elsewhere")),
                e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("site.yml") + ":2:11: "), e.getMessage());
    }

    @Test
    void importTasksIsInlinedAndIncludeTasksIsDynamic() throws Exception {
        write("roles/r/tasks/main.yml", """
                - import_tasks: setup.yml
                  when: ansible_os_family == 'Debian'
                - include_tasks: each.yml
                  with_items: "{{ certs }}"
                  loop_control: {loop_var: cert}
                  tags: [certs]
                - ansible.builtin.include_tasks: "setup-{{ ansible_os_family }}.yml"
                - include_role: {name: other, tasks_from: extra}
                """);
        write("roles/r/tasks/setup.yml", "- {name: setup, debug: msg=x}\n");
        write("roles/r/tasks/each.yml", "- {name: each, debug: {msg: \"{{ cert }}\"}}\n");
        write("roles/other/tasks/extra.yml", "- {name: extra, debug: msg=x}\n");
        Play p = load("- hosts: all\n  roles: [r]\n").plays().get(0);
        Block r = (Block) p.tasks().get(0);
        Block setup = (Block) r.block().get(0);
        assertEquals(List.of("ansible_os_family == 'Debian'"), ((Task) setup.block().get(0)).when());
        Include each = (Include) r.block().get(1);
        assertEquals("items", each.loopLookup());
        assertEquals("cert", each.loopControl().loopVar());
        assertEquals(List.of("certs"), each.tags());
        assertEquals("each", each.body().get(0).name());
        assertTrue(((Task) each.body().get(0)).tags().isEmpty(), "an include's tags select the include, not its tasks");
        Include templated = (Include) r.block().get(2);
        assertNull(templated.body());
        assertThrows(YamlException.class, () -> templated.later().load("setup-RedHat.yml"));
        Include role = (Include) r.block().get(3);
        Task extra = (Task) ((Block) role.body().get(0)).block().get(0);
        assertEquals(List.of("r"), extra.role().parents());
        assertEquals("r", extra.role().paramsWithMagic().get("ansible_parent_role_names").toString().replaceAll("[\\[\\]]", ""));
    }

    @Test
    void withLoopsLoadAsLoopsOverTheirLookup() throws Exception {
        Play p = load("""
                - hosts: all
                  tasks:
                    - debug: msg={{ item }}
                      with_items: [a, [b, c]]
                    - debug: msg={{ item }}
                      with_first_found: [a.yml, b.yml]
                """).plays().get(0);
        Task items = (Task) p.tasks().get(0);
        assertEquals("items", items.loopLookup());
        assertEquals(List.of("a", List.of("b", "c")), items.loop());
        assertEquals("first_found", ((Task) p.tasks().get(1)).loopLookup());
    }

    @Test
    void ansibleModuleNamesMapToMoatsOrLoadAsNotSupported() throws Exception {
        Playbook pb = load("""
                - hosts: all
                  tasks:
                    - ansible.builtin.copy: {dest: /x, content: y}
                    - ansible.legacy.debug: msg=x
                    - dnf: name=x
                      when: ansible_os_family == 'RedHat'
                    - community.general.parted: {device: /dev/sdb, number: 1, state: absent}
                    - win_copy: {src: a, dest: b}
                    - set_fact: {a: 1}
                    - meta: flush_handlers
                    - include_vars: "{{ ansible_os_family }}.yml"
                """);
        List<Task> t = pb.plays().get(0).allTasks();
        assertEquals(List.of("copy", "debug", "dnf", "community.general.parted", "win_copy", "set_fact", "meta", "include_vars"),
                t.stream().map(Task::module).toList());
        assertEquals(Map.of("_raw_params", "name=x"), t.get(2).args());
        assertEquals(3, pb.warnings().size());
        assertEquals(dir.resolve("site.yml") + ":5:7: dnf is not supported by moat; a host that reaches this task fails", pb.warnings().get(0).toString());
        assertEquals("{{ ansible_os_family }}.yml", t.get(7).args().get("file"));
    }

    @Test
    void aTypoInAModuleNameIsAnErrorWithASuggestion() throws Exception {
        YamlException e = error("- hosts: all\n  tasks:\n    - ansible.bultin.copy: {dest: /x, content: y}\n");
        assertEquals(dir.resolve("site.yml") + ":3:7: unknown module 'ansible.bultin.copy'; did you mean 'ansible.builtin.copy'?", e.getMessage());
        e = error("- hosts: all\n  tasks:\n    - ansible.builtin.cpoy: {dest: /x}\n");
        assertTrue(e.getMessage().contains("unknown module 'ansible.builtin.cpoy'; did you mean 'ansible.builtin.copy'?"), e.getMessage());
        e = error("- hosts: all\n  tasks:\n    - meta: flush_handler\n");
        assertTrue(e.getMessage().contains("meta: unknown action 'flush_handler'; did you mean 'flush_handlers'?"), e.getMessage());
    }

    @Test
    void communityGeneralHtpasswdMapsItsArgumentsOntoMoatsHtpasswd() throws Exception {
        Task t = load("""
                - hosts: all
                  tasks:
                    - community.general.htpasswd:
                        path: /etc/nginx/.htpasswd
                        name: "{{ user }}"
                        password: "{{ pw }}"
                        crypt_scheme: bcrypt
                        owner: root
                        mode: "0640"
                """).plays().get(0).allTasks().get(0);
        assertEquals("htpasswd", t.module());
        assertEquals(Map.of("path", "/etc/nginx/.htpasswd", "users", Map.of("{{ user }}", "{{ pw }}"), "owner", "root", "mode", "0640"), t.args());
        YamlException e = error("- hosts: all\n  tasks:\n    - community.general.htpasswd: {path: /x, name: a, state: absent}\n");
        assertTrue(e.getMessage().contains("state=absent (removing a user) is not supported by moat's htpasswd"), e.getMessage());
        e = error("- hosts: all\n  tasks:\n    - community.general.htpasswd: {path: /x, name: a, password: b, crypt_scheme: md5_crypt}\n");
        assertTrue(e.getMessage().contains("crypt_scheme=md5_crypt is not supported"), e.getMessage());
    }

    @Test
    void aMissingHandlerIsAnErrorExceptInADynamicInclude() throws Exception {
        write("inc.yml", "- {name: x, debug: msg=x, notify: restart docker}\n");
        Playbook pb = load("- hosts: all\n  tasks:\n    - include_tasks: inc.yml\n  handlers:\n    - {name: Restart docker, debug: msg=r}\n");
        assertEquals(1, pb.warnings().size());
        assertTrue(pb.warnings().get(0).toString().contains("notify: no handler named 'restart docker' in this play; did you mean 'Restart docker'?"));
        YamlException e = error("- hosts: all\n  tasks:\n    - import_tasks: inc.yml\n  handlers:\n    - {name: Restart docker, debug: msg=r}\n");
        assertTrue(e.getMessage().contains("notify: no handler named 'restart docker'"), e.getMessage());
    }

    @Test
    void importPlaybookInlinesThePlaysOfAnother() throws Exception {
        write("other.yml", "- hosts: web\n  tasks: [{name: o, debug: msg=o}]\n");
        Playbook pb = load("- import_playbook: other.yml\n- hosts: all\n  tasks: [{name: s, debug: msg=s}]\n");
        assertEquals(List.of("web", "all"), pb.plays().stream().map(Play::hosts).toList());
        write("self.yml", "- import_playbook: self.yml\n");
        assertThrows(YamlException.class, () -> PlaybookLoader.load(dir.resolve("self.yml"), new FakeCatalog()));
    }
}
