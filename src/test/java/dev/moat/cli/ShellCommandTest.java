package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter out, StringWriter err, String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void anUnreachableHostEndsTheShellWithExit3AndOneMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        Path inv = dir.resolve("inv.yml");
        Files.writeString(inv, "all:\n  hosts:\n    h1:\n      ansible_host: 127.0.0.1\n      ansible_port: " + port + "\n");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = run(out, err, "shell", "h1", "-i", inv.toString(), "--known-hosts", dir.resolve("kh").toString(), "--timeout", "3");
        assertEquals(3, code, err.toString());
        assertTrue(err.toString().startsWith("moat: "), err.toString());
        assertTrue(err.toString().contains("127.0.0.1"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void anUnknownHostIsABadInventoryReference() throws Exception {
        Path inv = dir.resolve("inv.yml");
        Files.writeString(inv, "all:\n  hosts:\n    h1:\n");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = run(out, err, "shell", "h9", "-i", inv.toString());
        assertNotEquals(0, code);
        assertTrue(err.toString().contains("h9"), err.toString());
    }

    @Test
    void helpNamesTheOptions() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(0, run(out, err, "shell", "--help"));
        for (String o : new String[] {"HOST", "--inventory", "--check", "--plain", "--journal-dir", "--known-hosts"}) {
            assertTrue(out.toString().contains(o), o + " in\n" + out);
        }
    }
}
