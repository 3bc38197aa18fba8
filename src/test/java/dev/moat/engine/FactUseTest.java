package dev.moat.engine;

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
        return FactUse.needed(play, scope, src -> tmp.resolve("templates").resolve(src));
    }

    @Test
    void theHardeningPlaybookGathersNothing() throws Exception {
        Path pb = Path.of("playbooks/harden-inference.yml");
        Play play = PlaybookLoader.load(pb, Catalog.of(Modules.builtin())).plays().get(0);
        VarScope scope = VarScope.of(new Templar(pb.getParent(), new Secrets()), Map.of("inventory_hostname", "h1"), play, Map.of());
        assertFalse(FactUse.needed(play, scope, src -> pb.getParent().resolve(src)));
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
}
