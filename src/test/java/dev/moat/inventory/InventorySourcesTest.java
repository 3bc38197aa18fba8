package dev.moat.inventory;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.MoatException;

/**
 * INI inventories, inventory directories, inventory scripts, host lists and several sources at
 * once, against {@code ansible-inventory --list} on the same sources: {@code
 * src/test/resources/inventory/sources/NAME.json}, recorded by {@code record.sh} there from the
 * cases of {@code cases.txt}.
 */
class InventorySourcesTest {
    private static final Path DIR = Path.of("src/test/resources/inventory/sources").toAbsolutePath();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"ini", "dir", "script", "nometa", "hostlist", "multi"})
    void listIsAnsibles(String name) throws Exception {
        String sources = Files.readAllLines(DIR.resolve("cases.txt")).stream()
                .filter(l -> l.startsWith(name + "\t")).findFirst().orElseThrow().split("\t")[1];
        Inventory inv = InventorySources.load(Arrays.asList(sources.split(" ")), DIR, "-i");
        String ansible = Files.readString(DIR.resolve(name + ".json")).stripTrailing();
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(ansible), json.readTree(InventoryReport.list(inv)));
        assertEquals(ansible, InventoryReport.list(inv), "byte for byte");
    }

    @Test
    void hostListAndIniSourcesGiveInventoryFile() {
        Inventory inv = InventorySources.load(List.of("h1,h2:2222,", "ini/hosts"), DIR, "-i");
        assertEquals("h1,h2:2222,", inv.magicVars("h2").get("inventory_file"));
        assertNull(inv.magicVars("h2").get("inventory_dir"));
        assertEquals(DIR.resolve("ini/hosts").toString(), inv.magicVars("web1").get("inventory_file"));
        assertEquals(DIR.resolve("ini").toString(), inv.magicVars("web1").get("inventory_dir"));
    }

    @Test
    void iniErrorsNameFileAndLine() throws Exception {
        assertIniError("[web]\nh1 user\n", ":2:1: Expected key=value host variable assignment, got: user");
        assertIniError("[web:vars]\nx = 1\n", ":1:1: Section [web:vars] not valid for undefined group: web");
        assertIniError("[a:children]\nb\n[a]\n", ":2:1: Section [a:children] includes undefined group: b");
        assertIniError("[web:hostz]\n", ":1:1: Section [web:hostz] has unknown type: hostz");
        assertIniError("[web]\n\n[bad group]\n", ":3:1: Invalid section entry: '[bad group]'");
        assertIniError("[web]\nh1 x='open\n", ":2:1: Error parsing host definition");
        assertIniError("[web]\nh[3:1]\n", ":2:1: host range [3:1] is empty");
        assertIniError("[web:vars]\n[web]\n[web:vars]\nnovalue\n", ":4:1: Expected key=value, got: novalue");
        assertIniError("[web]\nh1:\n", ":2:1: Invalid host pattern 'h1:' supplied, ending in ':' is not allowed");
    }

    @Test
    void pendingChildDeclaredLaterIsFine() throws Exception {
        Path f = tmp.resolve("hosts");
        Files.writeString(f, "[all:children]\nweb\n[eu:children]\nweb\n[eu:vars]\nx=1\n[web]\nw1\n");
        Inventory inv = InventorySources.load(List.of(f.toString()), tmp, "-i");
        assertEquals(List.of("web"), inv.groups().get("eu").children());
        assertEquals(1, inv.hostVars("w1").get("x"));
    }

    @Test
    void missingSourceIsAUsageError() {
        MoatException e = assertThrows(MoatException.class, () -> InventorySources.load(List.of("nope.yml"), tmp, "/x/ansible.cfg:3"));
        assertEquals(64, e.exitCode());
        assertTrue(e.getMessage().startsWith("inventory source not found: nope.yml (" + tmp.resolve("nope.yml") + ") (given by /x/ansible.cfg:3)"),
                e.getMessage());
    }

    @Test
    void pluginConfigsAreRefusedByName() throws Exception {
        Path f = tmp.resolve("aws_ec2.yml");
        Files.writeString(f, "plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n");
        MoatException e = assertThrows(MoatException.class, () -> InventorySources.load(List.of(f.toString()), tmp, "-i"));
        assertEquals(65, e.exitCode());
        assertTrue(e.getMessage().contains("inventory plugin 'amazon.aws.aws_ec2' is not supported"), e.getMessage());
    }

    @Test
    void failingScriptIsAnErrorWithItsStderr() throws Exception {
        Path s = script("#!/bin/sh\necho 'cannot reach the cloud API' >&2\nexit 3\n");
        MoatException e = assertThrows(MoatException.class, () -> InventorySources.load(List.of(s.toString()), tmp, "-i"));
        assertEquals(65, e.exitCode());
        assertEquals("inventory script " + s + " --list exited 3: cannot reach the cloud API", e.getMessage());
    }

    @Test
    void scriptPrintingNoJsonObjectIsAnError() throws Exception {
        Path s = script("#!/bin/sh\necho '[1, 2]'\n");
        MoatException e = assertThrows(MoatException.class, () -> InventorySources.load(List.of(s.toString()), tmp, "-i"));
        assertEquals("inventory script " + s + " --list: its output must be a JSON object", e.getMessage());
    }

    @Test
    void slowScriptIsStopped() throws Exception {
        Path s = script("#!/bin/sh\nsleep 30\n");
        int saved = InventoryScript.timeoutSeconds;
        InventoryScript.timeoutSeconds = 1;
        try {
            long t0 = System.nanoTime();
            MoatException e = assertThrows(MoatException.class, () -> InventorySources.load(List.of(s.toString()), tmp, "-i"));
            assertTrue(e.getMessage().endsWith("did not finish within 1 s; it was stopped"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
        } finally {
            InventoryScript.timeoutSeconds = saved;
        }
    }

    @Test
    void notExecutableScriptIsNamed() throws Exception {
        Path f = tmp.resolve("inv.py");
        Files.writeString(f, "#!/usr/bin/env python3\nprint('{}')\n");
        MoatException e = assertThrows(MoatException.class, () -> InventorySources.load(List.of(f.toString()), tmp, "-i"));
        assertTrue(e.getMessage().contains("looks like an inventory script (it starts with #!) but is not executable"), e.getMessage());
    }

    @Test
    void extensionlessYamlIsYaml() throws Exception {
        Path f = tmp.resolve("hosts");
        Files.writeString(f, "all:\n  hosts:\n    y1: {a: 1}\n");
        assertEquals(Map.of("a", 1), InventorySources.load(List.of(f.toString()), tmp, "-i").hostVars("y1"));
    }

    private Path script(String text) throws Exception {
        Path s = tmp.resolve("inv.sh");
        Files.writeString(s, text);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private void assertIniError(String text, String expected) throws Exception {
        Path f = tmp.resolve("hosts.ini");
        Files.writeString(f, text);
        MoatException e = assertThrows(MoatException.class, () -> InventorySources.load(List.of(f.toString()), tmp, "-i"));
        assertEquals(65, e.exitCode());
        assertTrue(e.getMessage().startsWith(f + expected), e.getMessage());
    }
}
