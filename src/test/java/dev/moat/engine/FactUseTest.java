package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.modules.Modules;
import dev.moat.playbook.Play;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.playbook.VarScope;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;

/** Which plays gather facts: only those that can use one. */
class FactUseTest {
    @TempDir Path tmp;

    private boolean needed(String yaml, Map<String, Object> hostVars) throws Exception {
        Path pb = tmp.resolve("p.yml");
        Files.writeString(pb, yaml);
        Play play = PlaybookLoader.load(pb, Catalog.of(Modules.builtin())).plays().get(0);
        VarScope scope = VarScope.of(new Templar(tmp, new Secrets()), hostVars, play, Map.of());
        return FactUse.needed(play, scope, (src, roleDir) -> tmp.resolve("templates").resolve(src));
    }

    @Test
    void theHardeningPlaybookGathersNothing() throws Exception {
        Path pb = Path.of("playbooks/harden-inference.yml");
        Play play = PlaybookLoader.load(pb, Catalog.of(Modules.builtin())).plays().get(0);
        VarScope scope = VarScope.of(new Templar(pb.getParent(), new Secrets()), Map.of("inventory_hostname", "h1"), play, Map.of());
        assertFalse(FactUse.needed(play, scope, (src, roleDir) -> pb.getParent().resolve(src)));
    }

    @Test
    void aFactNameAnywhereTheHostRendersGathers() throws Exception {
        String task = "- hosts: all\n  tasks:\n    - debug: {msg: hi}\n";
        assertFalse(needed(task, Map.of()));
        assertFalse(needed(task.replace("hi", "'{{ ansible_host }} {{ ansible_check_mode }} {{ ansible_become_user }}'"), Map.of()));
        assertTrue(needed(task.replace("hi", "'{{ ansible_distribution }}'"), Map.of()));
        assertTrue(needed(task.replace("hi", "'{{ ansible_facts[\"os_family\"] }}'"), Map.of()));
        assertTrue(needed(task.replace("hi", "'{{ hostvars[inventory_hostname] }}'"), Map.of()));
        assertTrue(needed(task + "      when: ansible_os_family == 'Debian'\n", Map.of()));
        assertTrue(needed(task, Map.of("repo", "deb http://x {{ ansible_distribution_release }} main")), "an inventory variable");
        assertTrue(needed("- hosts: all\n  gather_facts: false\n  tasks:\n    - setup:\n", Map.of()));
    }

    @Test
    void aTemplateFileIsRead() throws Exception {
        Files.createDirectories(tmp.resolve("templates"));
        Files.writeString(tmp.resolve("templates/plain.j2"), "{{ inventory_hostname }}\n");
        Files.writeString(tmp.resolve("templates/facts.j2"), "{% if ansible_os_family == 'Debian' %}x{% endif %}\n");
        String play = "- hosts: all\n  tasks:\n    - template: {src: SRC, dest: /tmp/x}\n";
        assertFalse(needed(play.replace("SRC", "plain.j2"), Map.of()));
        assertTrue(needed(play.replace("SRC", "facts.j2"), Map.of()));
        assertTrue(needed(play.replace("SRC", "'{{ name }}.j2'"), Map.of()), "a templated src may name any file");
    }

    @Test
    void rolesAndIncludesAreLookedInto() throws Exception {
        Path role = tmp.resolve("roles/r");
        Files.createDirectories(role.resolve("tasks"));
        Files.createDirectories(role.resolve("defaults"));
        Files.createDirectories(role.resolve("templates"));
        Files.writeString(role.resolve("tasks/main.yml"), "- debug: {msg: \"{{ greeting }}\"}\n");
        Files.writeString(role.resolve("defaults/main.yml"), "greeting: hi\n");
        String play = "- hosts: all\n  roles: [r]\n";
        assertFalse(needed(play, Map.of()));
        Files.writeString(role.resolve("defaults/main.yml"), "greeting: \"{{ ansible_distribution }}\"\n");
        assertTrue(needed(play, Map.of()), "a role default that names a fact");
        Files.writeString(role.resolve("defaults/main.yml"), "greeting: hi\n");
        Files.writeString(role.resolve("templates/t.j2"), "{{ ansible_os_family }}\n");
        Files.writeString(role.resolve("tasks/main.yml"), "- template: {src: t.j2, dest: /tmp/t}\n");
        Path pb = tmp.resolve("p.yml");
        Files.writeString(pb, play);
        Play p = PlaybookLoader.load(pb, Catalog.of(Modules.builtin())).plays().get(0);
        VarScope scope = VarScope.of(new Templar(tmp, new Secrets()), Map.of(), p, Map.of());
        assertTrue(FactUse.needed(p, scope, (src, roleDir) -> roleDir.resolve("templates").resolve(src)),
                "a role's template is found in the role's templates/");
        Files.writeString(role.resolve("tasks/main.yml"), "- include_tasks: \"{{ which }}.yml\"\n");
        assertTrue(needed(play, Map.of()), "an include known only at run time may use any fact");
    }

    @Test
    void gpusAreGatheredOnlyWhenThePlayNamesThem() throws Exception {
        String task = "- hosts: all\n  tasks:\n    - debug: {msg: 'MSG'}\n";
        Map<String, Boolean> cases = Map.of(
                "{{ ansible_distribution }}", false,
                "{{ moat_gpus | length }}", true,
                "{{ ansible_gpus }}", true,
                "{{ ansible_facts.gpus }}", true,
                "{{ ansible_facts[\"gpus\"] | length }}", true,
                "{{ ansible_facts.kernel }} {{ ansible_facts[\"os_family\"] }}", false,
                "{{ ansible_facts | dict2items }}", true,
                "{{ hostvars[inventory_hostname] }}", true);
        for (Map.Entry<String, Boolean> c : cases.entrySet()) {
            Path pb = tmp.resolve("g.yml");
            Files.writeString(pb, task.replace("MSG", c.getKey()));
            Play play = PlaybookLoader.load(pb, Catalog.of(Modules.builtin())).plays().get(0);
            VarScope scope = VarScope.of(new Templar(tmp, new Secrets()), Map.of(), play, Map.of());
            assertTrue(FactUse.needed(play, scope, (src, roleDir) -> null), c.getKey() + " gathers");
            Map<String, Object> args = FactUse.gatherArgs(play, scope, (src, roleDir) -> null);
            assertEquals(c.getValue(), args.isEmpty(), c.getKey() + ": " + args);
        }
    }
}
