package dev.moat.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.MoatException;
import dev.moat.yaml.YamlException;

class InventoryLoaderTest {
    @TempDir
    Path dir;

    private Inventory parse(String yaml) {
        return InventoryLoader.parse(yaml, dir.resolve("inv.yml"));
    }

    private YamlException error(String yaml) {
        return assertThrows(YamlException.class, () -> parse(yaml));
    }

    private String at(int line, int col) {
        return dir.resolve("inv.yml") + ":" + line + ":" + col + ": ";
    }

    @Test
    void hostsInSeveralGroupsAreOneHost() {
        Inventory inv = parse("all:\n  children:\n    a:\n      hosts:\n        h1: {x: 1}\n    b:\n      hosts:\n        h1: {y: 2}\n        h2:\n");
        assertEquals(List.of("h1", "h2"), inv.hosts().stream().map(Host::name).toList());
        Host h1 = inv.requireHost("h1");
        assertEquals(List.of("a", "b"), h1.directGroups());
        assertEquals(Map.of("x", 1, "y", 2), h1.vars());
        assertEquals(List.of("a", "b"), h1.groupNames());
    }

    @Test
    void topLevelGroupsBesidesAllHangUnderAll() {
        Inventory inv = parse("all:\n  hosts:\n    lone:\nweb:\n  hosts:\n    w1:\n");
        assertEquals(List.of("ungrouped", "web"), inv.groups().get("all").children());
        assertEquals(List.of("lone"), inv.groups().get("ungrouped").hosts());
        assertEquals(List.of("all", "ungrouped"), inv.requireHost("lone").directGroups());
        assertEquals(List.of("all", "web"), inv.requireHost("w1").groups());
    }

    @Test
    void nullHostsGroupsAndSectionsAreAllowed() {
        Inventory inv = parse("all:\n  hosts:\n    h1:\n  vars:\n  children:\n    empty:\n    named:\n      hosts: h2\n");
        assertEquals(List.of("h1", "h2"), inv.hosts().stream().map(Host::name).toList());
        assertEquals(List.of(), inv.groups().get("empty").hosts());
        assertEquals(List.of("h2"), inv.groups().get("named").hosts());
    }

    @Test
    void mergeKeysAndAnchorsWorkInInventories() {
        Inventory inv = parse("all:\n  vars:\n    base: &b {user: ops, port: 22}\n  hosts:\n"
                + "    h1:\n      <<: *b\n      port: 2222\n    h2: *b\n");
        assertEquals(Map.of("user", "ops", "port", 2222, "base", Map.of("user", "ops", "port", 22)), inv.hostVars("h1"));
        assertEquals(22, inv.hostVars("h2").get("port"));
    }

    @Test
    void hostPortSetsAnsiblePortAndRangesExpand() {
        Inventory inv = parse("all:\n  hosts:\n    db:2222:\n    gpu-[01:03]:\n      ansible_user: root\n");
        assertEquals(2222, inv.hostVars("db").get("ansible_port"));
        assertEquals(List.of("db", "gpu-01", "gpu-02", "gpu-03"), inv.hosts().stream().map(Host::name).toList());
        assertEquals("root", inv.hostVars("gpu-02").get("ansible_user"));
    }

    @Test
    void hostsAsAListIsRefusedWithTheRightForm() {
        YamlException e = error("all:\n  hosts:\n    - web1\n    - web2\n");
        assertTrue(e.getMessage().startsWith(at(3, 5) + "'hosts' of group 'all' must be a mapping, not a list"), e.getMessage());
        assertTrue(e.getMessage().contains("common mistake"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; write it as:\n  hosts:\n    web1:\n    web2:"), e.getMessage());
        assertEquals(65, e.exitCode());
    }

    @Test
    void childrenAsAListIsRefused() {
        YamlException e = error("all:\n  children:\n    - gpu\n");
        assertTrue(e.getMessage().startsWith(at(3, 5) + "'children' of group 'all' must be a mapping, not a list"), e.getMessage());
    }

    @Test
    void unknownKeyInAGroupIsRefused() {
        YamlException e = error("all:\n  children:\n    gpu:\n      host:\n        h1:\n");
        assertEquals(at(4, 7) + "unknown key 'host' in group 'gpu': a group has only hosts:, vars: and children: (did you mean hosts:?)",
                e.getMessage());
        YamlException v = error("all:\n  ansible_user: ops\n");
        assertTrue(v.getMessage().startsWith(at(2, 3) + "unknown key 'ansible_user' in group 'all'"), v.getMessage());
        assertTrue(v.getMessage().endsWith("variables go under vars:, hosts under hosts:"), v.getMessage());
    }

    @Test
    void badRangeNamesTheHostKey() {
        YamlException e = error("all:\n  hosts:\n    ok:\n    gpu-[01:100]:\n");
        assertEquals(at(4, 5) + "host range [01:100] must have begin and end of equal length (zero padding)", e.getMessage());
    }

    @Test
    void wrongTypesAreRefused() {
        assertTrue(error("- all\n").getMessage().startsWith(at(1, 1) + "an inventory is a mapping of group names"));
        assertTrue(error("all: [a]\n").getMessage().startsWith(at(1, 6) + "group 'all' must be a mapping"));
        assertTrue(error("all:\n  hosts:\n    h1: [x]\n").getMessage().startsWith(at(3, 9) + "host 'h1' must have a mapping of variables"));
        assertTrue(error("all:\n  vars: [x]\n").getMessage().startsWith(at(2, 9) + "'vars' of group 'all' must be a mapping, not a list;"));
        assertTrue(error("all:\n  vars:\n    ansible_group_priority: high\n").getMessage()
                .startsWith(at(3, 5) + "ansible_group_priority must be an integer"));
        assertTrue(error("").getMessage().contains("the inventory is empty"));
        assertTrue(error("plugin: aws_ec2\n").getMessage().startsWith(at(1, 1) + "inventory plugin 'aws_ec2' is not supported"));
        assertTrue(error("hosts:\n  h1:\n").getMessage().startsWith(at(1, 1) + "top-level keys are group names"));
    }

    @Test
    void groupLoopsAreRefused() {
        YamlException e = error("all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n");
        assertTrue(e.getMessage().startsWith(at(5, 9) + "adding group 'b' as a child of 'a' makes a loop"), e.getMessage());
        assertTrue(error("all:\n  children:\n    a:\n      children:\n        a:\n").getMessage().contains("cannot be a child of itself"));
        assertTrue(error("all:\n  children:\n    a:\n      children:\n        all:\n").getMessage().contains("'all' cannot be a child"));
    }

    @Test
    void duplicateKeysFromTheYamlLoaderNameBothPlaces() {
        YamlException e = error("all:\n  hosts:\n    h1:\n    h1:\n");
        assertTrue(e.getMessage().startsWith(at(4, 5) + "duplicate key 'h1' (first at line 3, column 5)"), e.getMessage());
    }

    @Test
    void missingFileIsAUsageErrorNamingThePath() throws Exception {
        Path missing = dir.resolve("nope.yml");
        MoatException e = assertThrows(MoatException.class, () -> InventoryLoader.load(missing));
        assertEquals(64, e.exitCode());
        assertEquals("inventory file not found: " + missing, e.getMessage());
        // A directory is an inventory directory, as in Ansible: every inventory file in it.
        assertEquals(List.of(), InventoryLoader.load(Files.createDirectories(dir.resolve("empty"))).hosts());
    }

    @Test
    void groupVarsFileThatIsNotAMappingIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/all.yml"), "- a\n- b\n");
        YamlException e = error("all:\n  hosts:\n    h1:\n");
        assertEquals(dir.resolve("group_vars/all.yml") + ":1:1: group_vars file must be a mapping of variable names to values", e.getMessage());
    }

    @Test
    void groupVarsSyntaxErrorsNameTheirFile() throws Exception {
        Files.createDirectories(dir.resolve("host_vars"));
        Files.writeString(dir.resolve("host_vars/h1"), "a: [\n");
        YamlException e = error("all:\n  hosts:\n    h1:\n");
        assertTrue(e.getMessage().startsWith(dir.resolve("host_vars/h1") + ":"), e.getMessage());
    }
}
