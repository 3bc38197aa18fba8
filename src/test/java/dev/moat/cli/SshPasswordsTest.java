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

    /** Runs moat, expecting exit {@code code} and a message containing {@code says} that never shows the password. */
    private void refused(int code, String says, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int got = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        String all = out + err.toString();
        assertEquals(code, got, all);
        assertTrue(all.contains(says), all);
        assertTrue(all.contains("ssh-agent"), all);
        assertFalse(all.contains("hunter2"), all);
    }

    @Test
    void aGroupsPasswordInTheInventoryIsExit65NamingHostGroupAndFile() throws Exception {
        Path inv = tmp.resolve("hosts.yml");
        Files.writeString(inv, "all:\n  children:\n    gpu:\n      hosts:\n        g1:\n      vars:\n        ansible_ssh_pass: hunter2\n");
        refused(65, "host g1: ansible_ssh_pass is set in the inventory by group 'gpu' (" + inv,
                "apply", play.toString(), "-i", inv.toString(), "--syntax-check");
    }

    @Test
    void aHostsOwnPasswordNamesTheHostEntry() throws Exception {
        Path inv = tmp.resolve("hosts.ini");
        Files.writeString(inv, "[web]\nw1 ansible_password=hunter2\n");
        refused(65, "host w1: ansible_password is set in the inventory by the host's own entry (" + inv,
                "check", play.toString(), "-i", inv.toString());
    }

    @Test
    void aPasswordFromDashEIsUsageAndFromPlayVarsIsContent() throws Exception {
        refused(64, "-e ansible_password sets an SSH password", "apply", play.toString(), "-i", "w1,", "-e", "ansible_password=hunter2");
        Files.writeString(play, "- hosts: all\n  vars: {ansible_ssh_password: hunter2}\n  tasks: [{debug: {msg: hi}}]\n");
        refused(65, "ansible_ssh_password is set in its vars", "apply", play.toString(), "-i", "w1,");
    }

    @Test
    void shellRefusesItToo() throws Exception {
        Path inv = tmp.resolve("hosts.ini");
        Files.writeString(inv, "w1 ansible_ssh_pass=hunter2\n");
        refused(65, "host w1: ansible_ssh_pass is set in the inventory", "shell", "w1", "-i", inv.toString());
    }
}
