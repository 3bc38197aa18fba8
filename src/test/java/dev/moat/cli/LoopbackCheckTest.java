package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A check against a real sshd on loopback: the connection opened early (while the run is built) is
 * the one the run uses, so the host sees one login per run; a syntax error, --syntax-check and
 * --list-hosts log in nowhere; a refused connection still ends the run unreachable (exit 3).
 */
class LoopbackCheckTest {
    static Path tmp;
    static LoopbackSshd sshd;
    static String savedHome;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(LoopbackSshd.available(), "needs root, /usr/sbin/sshd and ssh-keygen");
        tmp = LoopbackSshd.scratch("moat-loopback-check");
        sshd = new LoopbackSshd(Files.createDirectory(tmp.resolve("sshd")));
        savedHome = System.getProperty("moat.home");
        System.setProperty("moat.home", tmp.resolve("home").toString());
        Files.writeString(tmp.resolve("reads.yml"), String.join("\n",
                "- hosts: h1",
                "  gather_facts: false",
                "  tasks:",
                "    - name: read a file",
                "      stat: {path: /etc/hostname}",
                ""));
        Files.writeString(tmp.resolve("broken.yml"), String.join("\n",
                "- hosts: h1",
                "  tasks:",
                "    - name: no such module",
                "      no_such_module_here: {x: 1}",
                ""));
    }

    @AfterAll
    static void stop() throws Exception {
        if (savedHome == null) System.clearProperty("moat.home");
        else System.setProperty("moat.home", savedHome);
        if (sshd != null) sshd.close();
    }

    static long logins() throws Exception {
        return Files.readAllLines(sshd.dir.resolve("sshd.log")).stream().filter(l -> l.contains("Accepted publickey")).count();
    }

    static int moat(StringWriter err, String... args) {
        return Main.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    @Test
    void oneLoginPerCheckAndNoneForWhatOnlyLooks() throws Exception {
        String inv = sshd.inventory.toString(), kh = sshd.knownHosts.toString();
        long before = logins();
        StringWriter err = new StringWriter();
        assertEquals(0, moat(err, "check", tmp.resolve("reads.yml").toString(), "-i", inv, "--known-hosts", kh), err.toString());
        assertEquals(before + 1, logins(), "the early connection is the run's: one login");
        for (String look : new String[] {"--syntax-check", "--list-hosts", "--list-tasks"}) {
            err = new StringWriter();
            assertEquals(0, moat(err, "check", tmp.resolve("reads.yml").toString(), "-i", inv, "--known-hosts", kh, look), err.toString());
        }
        err = new StringWriter();
        int code = moat(err, "check", tmp.resolve("broken.yml").toString(), "-i", inv, "--known-hosts", kh);
        assertEquals(65, code, err.toString());
        assertTrue(err.toString().contains("no_such_module_here"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "the playbook's error alone, no connection noise: " + err);
        assertFalse(err.toString().toLowerCase().contains("ssh"), err.toString());
        Thread.sleep(200);
        assertEquals(before + 1, logins(), "nothing that only looks, nor a broken playbook, logs in");
    }

    @Test
    void aRefusedEarlyConnectionIsTheRunsUnreachableHost() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        Path inv = tmp.resolve("closed.yml");
        Files.writeString(inv, Files.readString(sshd.inventory).replace("ansible_port: " + sshd.port, "ansible_port: " + closed));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new String[] {"check", tmp.resolve("reads.yml").toString(), "-i", inv.toString(),
                "--known-hosts", sshd.knownHosts.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(3, code, out + "\n" + err);
        assertTrue(out.toString().contains("refused the connection"), out.toString());
    }
}
