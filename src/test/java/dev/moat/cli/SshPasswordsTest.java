package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSH passwords are refused before any host is touched, naming host, variable and place, never the value. */
class SshPasswordsTest {
    @TempDir
    Path tmp;

    private Path play;

    @BeforeEach
    void files() throws Exception {
        play = tmp.resolve("site.yml");
        Files.writeString(play, "- hosts: all\n  gather_facts: false\n  tasks: [{debug: {msg: hi}}]\n");
    }

    private String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {String.valueOf(code), out + err.toString()};
    }

    @Test
    void aGroupsPasswordInTheInventoryIsExit65NamingHostGroupAndFile() throws Exception {
        Path inv = tmp.resolve("hosts.yml");
        Files.writeString(inv, "all:\n  children:\n    gpu:\n      hosts:\n        g1:\n      vars:\n        ansible_ssh_pass: hunter2\n");
        String[] r = run("apply", play.toString(), "-i", inv.toString(), "--syntax-check");
        assertEquals("65", r[0], r[1]);
        assertTrue(r[1].contains("host g1: ansible_ssh_pass is set in the inventory by group 'gpu' (" + inv), r[1]);
        assertTrue(r[1].contains("ssh-agent"), r[1]);
        assertFalse(r[1].contains("hunter2"), r[1]);
    }

    @Test
    void aHostsOwnPasswordNamesTheHostEntry() throws Exception {
        Path inv = tmp.resolve("hosts.ini");
        Files.writeString(inv, "[web]\nw1 ansible_password=hunter2\n");
        String[] r = run("check", play.toString(), "-i", inv.toString());
        assertEquals("65", r[0], r[1]);
        assertTrue(r[1].contains("host w1: ansible_password is set in the inventory by the host's own entry (" + inv), r[1]);
        assertFalse(r[1].contains("hunter2"), r[1]);
    }

    @Test
    void aPasswordFromDashEIsUsageAndFromPlayVarsIsContent() throws Exception {
        String[] r = run("apply", play.toString(), "-i", "w1,", "-e", "ansible_password=hunter2");
        assertEquals("64", r[0], r[1]);
        assertTrue(r[1].contains("-e ansible_password sets an SSH password"), r[1]);
        assertFalse(r[1].contains("hunter2"), r[1]);
        Files.writeString(play, "- hosts: all\n  vars: {ansible_ssh_password: hunter2}\n  tasks: [{debug: {msg: hi}}]\n");
        r = run("apply", play.toString(), "-i", "w1,");
        assertEquals("65", r[0], r[1]);
        assertTrue(r[1].contains("ansible_ssh_password is set in its vars"), r[1]);
        assertFalse(r[1].contains("hunter2"), r[1]);
    }

    @Test
    void shellRefusesItToo() throws Exception {
        Path inv = tmp.resolve("hosts.ini");
        Files.writeString(inv, "w1 ansible_ssh_pass=hunter2\n");
        String[] r = run("shell", "w1", "-i", inv.toString());
        assertEquals("65", r[0], r[1]);
        assertFalse(r[1].contains("hunter2"), r[1]);
    }
}
