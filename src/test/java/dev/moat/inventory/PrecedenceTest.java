package dev.moat.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.MoatException;

/** Ansible's inventory-level variable precedence, and the magic variables. */
class PrecedenceTest {
    @TempDir
    Path dir;

    private Inventory parse(String yaml) {
        return InventoryLoader.parse(yaml, dir.resolve("inv.yml"));
    }

    private void write(String rel, String text) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static final String NESTED = "all:\n  vars: {v: all, a: all}\n  children:\n"
            + "    parent:\n      vars: {v: parent, p: parent}\n      children:\n"
            + "        child:\n          vars: {v: child}\n          hosts:\n            h1:\n            h2: {v: host}\n";

    @Test
    void allThenParentThenChildThenHost() {
        Inventory inv = parse(NESTED);
        assertEquals("child", inv.hostVars("h1").get("v"));
        assertEquals("parent", inv.hostVars("h1").get("p"));
        assertEquals("all", inv.hostVars("h1").get("a"));
        assertEquals("host", inv.hostVars("h2").get("v"));
        assertEquals(List.of("all", "parent", "child"), inv.requireHost("h1").groups());
        assertEquals(2, inv.groups().get("child").depth());
    }

    @Test
    void depthIsTheLongestPathFromAll() {
        // 'child' is both a top-level group's child and a grandchild: the deeper place counts.
        Inventory inv = parse("all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            c:\n"
                + "              vars: {v: c}\n              hosts: {h: }\n          vars: {v: b}\n    c:\n");
        assertEquals(3, inv.groups().get("c").depth());
        assertEquals("c", inv.hostVars("h").get("v"));
    }

    @Test
    void siblingsMergeAlphabeticallyUnlessPriority() {
        String yaml = "all:\n  children:\n    zeta:\n      vars: {v: zeta}\n      hosts: {h: }\n"
                + "    alpha:\n      vars: {v: alpha%s}\n      hosts: {h: }\n";
        assertEquals("zeta", parse(String.format(yaml, "")).hostVars("h").get("v"));
        Inventory prio = parse(String.format(yaml, ", ansible_group_priority: 2"));
        assertEquals("alpha", prio.hostVars("h").get("v"));
        assertEquals(2, prio.groups().get("alpha").priority());
        assertFalse(prio.hostVars("h").containsKey("ansible_group_priority"));
        assertEquals(List.of("all", "zeta", "alpha"), prio.requireHost("h").groups());
    }

    @Test
    void groupVarsFilesBeatEveryInventoryGroupVarAsInAnsible() throws Exception {
        write("group_vars/all.yml", "v: gv-all\n");
        write("group_vars/parent.yml", "p: gv-parent\n");
        Inventory inv = parse(NESTED);
        // group_vars/all is read after every group's vars: in the inventory file (VARIABLE_PRECEDENCE).
        assertEquals("gv-all", inv.hostVars("h1").get("v"));
        assertEquals("gv-parent", inv.hostVars("h1").get("p"));
        assertEquals("host", inv.hostVars("h2").get("v"));
        assertEquals(Map.of("v", "parent", "p", "gv-parent"), inv.groups().get("parent").vars());
    }

    @Test
    void groupVarsFilesFollowGroupOrderAndHostVarsWin() throws Exception {
        write("group_vars/parent", "v: gv-parent\n");
        write("group_vars/child.yaml", "v: gv-child\n");
        write("host_vars/h2.yml", "v: hv-h2\n");
        Inventory inv = parse(NESTED);
        assertEquals("gv-child", inv.hostVars("h1").get("v"));
        assertEquals("hv-h2", inv.hostVars("h2").get("v"));
    }

    @Test
    void firstExistingNameWinsAndDirectoriesMergeLexically() throws Exception {
        write("group_vars/child/b.yml", "v: b\nonly_b: 1\n");
        write("group_vars/child/a.yml", "v: a\n");
        write("group_vars/child/sub/c.json", "{\"v\": \"c\"}\n");
        write("group_vars/child/notes.txt", "v: txt\n");
        write("group_vars/child.yml", "v: never\n");
        write("host_vars/h1", "");
        write("host_vars/h1.yml", "v: never\n");
        Inventory inv = parse(NESTED);
        assertEquals("c", inv.hostVars("h1").get("v"));
        assertEquals(1, inv.hostVars("h1").get("only_b"));
    }

    @Test
    void aHostMentionedTwiceKeepsTheLaterValue() {
        Inventory inv = parse("all:\n  children:\n    a:\n      hosts: {h: {v: 1, w: 1}}\n    b:\n      hosts: {h: {v: 2}}\n");
        assertEquals(2, inv.hostVars("h").get("v"));
        assertEquals(1, inv.hostVars("h").get("w"));
    }

    @Test
    void mergingReplacesWholeValues() {
        Inventory inv = parse("all:\n  vars: {m: {a: 1, b: 2}}\n  hosts:\n    h: {m: {a: 9}}\n");
        assertEquals(Map.of("a", 9), inv.hostVars("h").get("m"));
    }

    @Test
    void varsAreReadOnly() {
        Inventory inv = parse(NESTED);
        assertThrows(UnsupportedOperationException.class, () -> inv.hostVars("h1").put("x", 1));
    }

    @Test
    void magicVariables() {
        Inventory inv = parse("all:\n  hosts:\n    lone.example.net:\n    10.1.2.3:\n  children:\n"
                + "    gpu:\n      hosts:\n        g1: {ansible_host: 192.0.2.1}\n      children:\n        eu: {hosts: {g2: }}\n");
        Map<String, Object> g2 = inv.templateVars("g2");
        assertEquals("g2", g2.get("inventory_hostname"));
        assertEquals("g2", g2.get("ansible_host"));
        assertEquals(List.of("eu", "gpu"), g2.get("group_names"));
        assertEquals("192.0.2.1", inv.templateVars("g1").get("ansible_host"));
        assertEquals("lone", inv.templateVars("lone.example.net").get("inventory_hostname_short"));
        assertEquals("10.1.2.3", inv.templateVars("10.1.2.3").get("inventory_hostname_short"));
        assertEquals(List.of("ungrouped"), inv.templateVars("10.1.2.3").get("group_names"));
        @SuppressWarnings("unchecked")
        Map<String, List<String>> groups = (Map<String, List<String>>) g2.get("groups");
        assertEquals(List.of("all", "ungrouped", "gpu", "eu"), List.copyOf(groups.keySet()));
        assertEquals(List.of("lone.example.net", "10.1.2.3", "g1", "g2"), groups.get("all"));
        assertEquals(List.of("g1", "g2"), groups.get("gpu"));
        assertEquals(List.of("lone.example.net", "10.1.2.3"), groups.get("ungrouped"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> hostvars = (Map<String, Map<String, Object>>) g2.get("hostvars");
        assertEquals("192.0.2.1", hostvars.get("g1").get("ansible_host"));
        assertEquals("g1", hostvars.get("g1").get("inventory_hostname"));
        assertNull(hostvars.get("nope"));
        assertEquals(4, hostvars.size());
        assertEquals(dir.resolve("inv.yml").toString(), g2.get("inventory_file"));
        assertFalse(inv.hostVars("g2").containsKey("inventory_hostname"));
        assertTrue(hostvars.toString().startsWith("hostvars["));
    }

    @Test
    void unknownHostIsAUsageError() {
        MoatException e = assertThrows(MoatException.class, () -> parse(NESTED).hostVars("nope"));
        assertEquals(64, e.exitCode());
    }
}
