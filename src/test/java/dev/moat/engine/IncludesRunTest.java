package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.journal.Guard;
import dev.moat.journal.Journal;
import dev.moat.module.Module;
import dev.moat.modules.Modules;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.playbook.RolesPath;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;

/** Includes, set_fact, include_vars, meta and modules moat lacks, run on this machine; and what a role with includes costs in round trips. */
class IncludesRunTest {
    @TempDir Path tmp;
    final List<TaskResult> results = new ArrayList<>();
    LocalTransport transport;

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text.replace("TMP", tmp.toString()));
        return p;
    }

    private int run(String playbook) throws Exception {
        Map<String, Module<?>> modules = Modules.builtin();
        Playbook pb = PlaybookLoader.load(write("site.yml", playbook), Catalog.of(modules), new RolesPath(List.of(), List.of()));
        RunListener collect = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
        };
        RunSetup setup = new RunSetup("r-" + System.nanoTime(), new RunOptions(false, false, 1, null, null, Map.of(), true),
                modules, new Templar(tmp, new Secrets()), (h, vars) -> transport = new LocalTransport(h), collect,
                new Journal(tmp.resolve("journal").toString()), new Guard(tmp.resolve("guard").toString()),
                Duration.ofSeconds(30), null, "test");
        return new Runner(setup).run(pb, p -> List.of("h1"), h -> Map.of("inventory_hostname", h, "ansible_os_family", "Debian"));
    }

    private List<String> messages() {
        List<String> out = new ArrayList<>();
        for (TaskResult r : results) {
            if (!"debug".equals(r.module())) continue;
            for (TaskResult i : r.items() == null || r.items().isEmpty() ? List.of(r) : r.items()) out.add(String.valueOf(i.registered().get("msg")));
        }
        return out;
    }

    @Test
    void aModuleMoatLacksFailsOnlyWhereAHostReachesItNamingWhy() throws Exception {
        write("debian.yml", "- community.general.parted: {device: /dev/sdb, number: 1, state: absent}\n  when: inventory_hostname == 'h1'\n");
        int exit = run("""
                - hosts: all
                  tasks:
                    - name: redhat only
                      dnf: name=kernel
                      when: ansible_os_family == 'RedHat'
                    - name: debian
                      debug: {msg: reached}
                    - include_tasks: debian.yml
                      when: ansible_os_family == 'Debian'
                """);
        assertEquals(ExitCode.FAILED, exit);
        assertEquals(Status.SKIPPED, results.stream().filter(r -> "redhat only".equals(r.task())).findFirst().orElseThrow().status());
        assertEquals(List.of("reached"), messages());
        TaskResult failed = results.stream().filter(r -> r.status() == Status.FAILED).findFirst().orElseThrow();
        assertEquals("community.general.parted is not supported by moat; this task ran because ansible_os_family == 'Debian'"
                + " and inventory_hostname == 'h1'",
                failed.message());
    }

    @Test
    void includesLoopSetFactsReadVarsAndMetaEndsTheHost() throws Exception {
        write("vars/os/Debian.yml", "---\npkg: apt\n");
        write("vars/os/zz.yml", "extra: 1\n");
        write("each.yml", "- {name: each, debug: {msg: \"{{ letter }}-{{ pkg }}-{{ os.pkg }}\"}}\n");
        write("flushed.yml", "- {name: change, debug: {msg: change}, changed_when: true, notify: h}\n- meta: flush_handlers\n");
        int exit = run("""
                - hosts: all
                  tasks:
                    - include_vars: "os/{{ ansible_os_family }}.yml"
                    - include_vars: {dir: vars/os, name: os}
                    - set_fact: {letters: [a, b]}
                    - include_tasks: each.yml
                      loop: "{{ letters }}"
                      loop_control: {loop_var: letter}
                    - debug: {msg: "{{ item }}"}
                      with_items: [x, [y, z]]
                    - include_tasks: flushed.yml
                    - name: after flush
                      debug: {msg: after}
                    - meta: clear_facts
                    - debug: {msg: "{{ letters | default('cleared') }}"}
                    - meta: end_host
                    - debug: {msg: never}
                  handlers:
                    - {name: h, debug: {msg: handler}}
                - hosts: all
                  tasks:
                    - debug: {msg: "next play {{ pkg }}"}
                """);
        assertEquals(ExitCode.OK, exit, results.stream().map(r -> r.task() + ":" + r.status() + ":" + r.message()).toList().toString());
        // include_vars by file and by dir under a name; an include's loop; with_items flattens one level;
        // flush_handlers runs the handler before the next task; clear_facts forgets gathered facts, not set_fact's (facts/clear-facts.txt); end_host ends
        // the play (not the run); include_vars stay for the next play.
        assertEquals(List.of("a-apt-apt", "b-apt-apt", "x", "y", "z", "change", "handler", "after", "[\"a\",\"b\"]", "next play apt"),
                messages());
    }

    @Test
    void aRoleWithIncludesCostsOneReadRoundTripPlusOnePerIncludeDecidedLate() throws Exception {
        for (String f : List.of("a", "b", "c", "d", "e")) write(f, f);
        write("roles/probe/tasks/main.yml", """
                - stat: {path: TMP/a}
                - include_tasks: more.yml
                  loop: [b, c]
                - set_fact: {late: d}
                - include_tasks: late.yml
                  when: late is defined
                """);
        write("roles/probe/tasks/more.yml", "- stat: {path: \"TMP/{{ item }}\"}\n");
        write("roles/probe/tasks/late.yml", "- stat: {path: \"TMP/{{ late }}\"}\n- stat: {path: TMP/e}\n");
        int exit = run("- hosts: all\n  roles: [probe]\n");
        assertEquals(ExitCode.OK, exit, results.toString());
        // One read before the first task (the role, and the include whose loop is known), one when
        // the include that depends on a set_fact is reached (its two tasks together).
        assertEquals(2, transport.scripts.size(), String.join("\n---\n", transport.scripts));
    }

    @Test
    void aRoleTasksSrcIsSearchedInTheRoleThenBesideThePlaybook() throws Exception {
        write("roles/web/files/site.conf", "from the role's files\n");
        write("roles/web/templates/index.j2", "{{ greeting }} from the role's templates\n");
        write("files/shared.txt", "from the playbook's files\n");
        write("roles/web/defaults/main.yml", "greeting: hello\n");
        write("roles/web/tasks/main.yml", """
                - copy: {src: site.conf, dest: TMP/out/site.conf}
                - template: {src: index.j2, dest: TMP/out/index.html}
                - copy: {src: shared.txt, dest: TMP/out/shared.txt}
                """);
        Files.createDirectories(tmp.resolve("out"));
        int exit = run("- hosts: all\n  roles: [web]\n");
        assertEquals(ExitCode.OK, exit, results.toString());
        assertEquals("from the role's files\n", Files.readString(tmp.resolve("out/site.conf")));
        assertEquals("hello from the role's templates\n", Files.readString(tmp.resolve("out/index.html")));
        assertEquals("from the playbook's files\n", Files.readString(tmp.resolve("out/shared.txt")));
    }
}
