package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code moat shell} driven through a pipe, in-process, against a real sshd on loopback as root:
 * a copy change, :undo restoring it byte for byte, ! commands, check mode, bad input, :facts,
 * :play/:drift, and a dropped connection reconnected. One session for the whole class, as a user
 * would have it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShellPipeTest {
    static LoopbackSshd sshd;
    static Path tmp;
    static Path journal;
    static PipedOutputStream keys;
    static InputStream savedIn;
    static final StringBuffer screen = new StringBuffer();
    static int seen;
    static Thread shell;
    static final AtomicInteger exit = new AtomicInteger(-1);

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(LoopbackSshd.available(), "needs root, /usr/sbin/sshd and ssh-keygen");
        tmp = LoopbackSshd.scratch("moat-shell-test");
        sshd = new LoopbackSshd(Files.createDirectory(tmp.resolve("sshd")));
        journal = tmp.resolve("journal");
        Files.writeString(tmp.resolve("motd"), "old motd\n");
        Files.setPosixFilePermissions(tmp.resolve("motd"), PosixFilePermissions.fromString("rw-r--r--"));
        keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 1 << 16);
        savedIn = System.in;
        System.setIn(in);
        Writer sink = new Writer() {
            @Override public void write(char[] c, int off, int len) { screen.append(c, off, len); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        PrintWriter out = new PrintWriter(sink, true);
        shell = new Thread(() -> exit.set(Main.execute(new String[] {"shell", "h1", "-i", sshd.inventory.toString(),
                "--known-hosts", sshd.knownHosts.toString(), "--journal-dir", journal.toString()}, out, out)), "shell-under-test");
        shell.start();
        await("moat shell: connected to h1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (savedIn != null) System.setIn(savedIn);
        if (sshd != null) sshd.close();
    }

    static void send(String line) throws Exception {
        keys.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** Waits until the output after the last awaited point contains {@code text}; returns that output. */
    static String await(String text) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            String s = screen.substring(seen);
            int at = s.indexOf(text);
            if (at >= 0) {
                seen += at + text.length();
                return s.substring(0, at + text.length());
            }
            Thread.sleep(20);
        }
        fail("no '" + text + "' in the shell's output:\n" + screen.substring(seen));
        return null;
    }

    /** Sends {@code line} and returns everything it printed, up to the echo of a marker command sent after it. */
    static String run(String line) throws Exception {
        send(line);
        String marker = "#done-" + System.nanoTime();
        send(marker);
        return await("> " + marker);
    }

    @Test
    @Order(1)
    void aCopyChangeShowsItsDiffAndUndoRestoresIt() throws Exception {
        Path motd = tmp.resolve("motd");
        String out = run("copy dest=" + motd + " content=\"hello from moat\\n\" mode=0644");
        assertTrue(out.contains("h1> copy dest=" + motd), out);
        assertTrue(out.contains("changed: [h1] copy"), out);
        assertTrue(out.contains("-old motd") && out.contains("+hello from moat"), "the diff: " + out);
        assertFalse(out.contains("\u001b["), "no escape codes when stdin is not a terminal");
        assertEquals("hello from moat\n", Files.readString(motd));

        out = run("copy dest=" + motd + " content=\"hello from moat\\n\" mode=0644");
        assertTrue(out.contains("ok: [h1] copy"), "converged: " + out);

        out = run(":undo");
        assertTrue(out.contains("undone: copy dest=" + motd), out);
        assertTrue(out.contains("restored " + motd), out);
        assertEquals("old motd\n", Files.readString(motd));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(motd)));
        assertTrue(Files.isDirectory(journal), "journaled under --journal-dir");

        out = run(":undo");
        assertTrue(out.contains("nothing to undo"), out);
    }

    @Test
    @Order(2)
    void bangCommandsPrintOutputErrorsAndExitCode() throws Exception {
        String out = run("!echo to-out; echo to-err >&2; exit 3");
        assertTrue(out.contains("to-out\n"), out);
        assertTrue(out.contains("to-err\n"), out);
        assertTrue(out.contains("exit 3"), out);
        out = run("!id -un");
        assertTrue(out.contains("root\nexit 0"), out);
    }

    @Test
    @Order(3)
    void checkModeShowsTheChangeButWritesNothing() throws Exception {
        Path fresh = tmp.resolve("fresh.txt");
        String out = run(":check on");
        assertTrue(out.contains("check mode on"), out);
        out = run("copy dest=" + fresh + " content=new");
        assertTrue(out.contains("h1 [check]> copy"), "the prompt shows the mode: " + out);
        assertTrue(out.contains("changed: [h1] copy"), out);
        assertFalse(Files.exists(fresh), "check mode wrote nothing");
        out = run(":undo");
        assertTrue(out.contains("nothing to undo"), "a check changes nothing to undo: " + out);
        out = run(":check off");
        assertTrue(out.contains("check mode off"), out);
        assertTrue(out.endsWith("h1> #done-" + out.substring(out.lastIndexOf("#done-") + 6)) || out.contains("\nh1> #done"), out);
    }

    @Test
    @Order(4)
    void badInputIsOneLineAndTheShellGoesOn() throws Exception {
        String out = run("cpy dest=/tmp/x");
        assertTrue(out.contains("error: unknown module 'cpy'; did you mean 'copy'?"), out);
        out = run("copy dest=/tmp/x bogus=1");
        assertTrue(out.contains("error: copy: unknown argument 'bogus'"), out);
        out = run("ufw {rule: allow, port: [443}");
        assertTrue(out.matches("(?s).*error: YAML[^\n]*\\(column \\d+\\)\n.*"), out);
        out = run("file path=/tmp/x state=sideways");
        assertTrue(out.contains("error: file:") || out.contains("expected one of"), out);
        out = run(":frobnicate");
        assertTrue(out.contains("error: unknown command ':frobnicate'"), out);
        out = run("!echo still here");
        assertTrue(out.contains("still here\nexit 0"), out);
    }

    @Test
    @Order(5)
    void factsInOneGo() throws Exception {
        String out = run(":facts");
        assertTrue(out.contains("os:"), out);
        assertTrue(out.contains("packages:  apt"), out);
        assertTrue(out.contains("127.0.0.1:" + sshd.port), "the sshd we talk to listens on loopback: " + out);
        assertTrue(out.contains("ufw:"), out);
    }

    @Test
    @Order(6)
    void helpListsCommandsAndModuleArguments() throws Exception {
        String out = run(":help");
        assertTrue(out.contains(":undo") && out.contains("modules: command, shell, copy"), out);
        out = run(":help file");
        assertTrue(out.matches("(?s).*path \\(dest, name\\)\\s+string\\s+required.*"), out);
        assertTrue(out.contains("one of file|directory|absent|touch|link"), out);
        assertTrue(out.contains("recurse") && out.contains("bool    default false"), out);
    }

    @Test
    @Order(7)
    void playAndDriftOnThisHost() throws Exception {
        Path site = tmp.resolve("site.yml");
        Path a = tmp.resolve("play-a.txt");
        Files.writeString(site, String.join("\n",
                "- hosts: all",
                "  tasks:",
                "    - copy: {dest: " + a + ", content: \"from a play\\n\"}",
                "    - file: {path: " + tmp.resolve("play-dir") + ", state: directory}", ""));
        String out = run(":drift " + site);
        assertTrue(out.contains("drift: h1 differs"), out);
        assertFalse(Files.exists(a));
        out = run(":play " + site);
        assertTrue(out.contains("changed: [h1] copy") && out.contains("PLAY RECAP"), out);
        assertEquals("from a play\n", Files.readString(a));
        out = run(":drift " + site);
        assertTrue(out.contains("no drift: h1 matches"), out);
        out = run(":undo");
        assertTrue(out.contains("undone: :play " + site), out);
        assertFalse(Files.exists(a), "the play's file is gone again");
        assertFalse(Files.exists(tmp.resolve("play-dir")), "and its directory");
    }

    @Test
    @Order(8)
    void aDroppedConnectionIsReconnectedOnceAndSaidSo() throws Exception {
        assertTrue(sshd.dropConnections() >= 1, "the shell holds a connection");
        Thread.sleep(500);
        String out = run("!echo after the drop");
        assertTrue(out.contains("dropped; reconnected"), out);
        assertTrue(out.contains("after the drop\nexit 0"), out);
    }

    @Test
    @Order(9)
    void aSecretArgumentIsNeverShown() throws Exception {
        Path ht = tmp.resolve("htpasswd");
        String out = run("htpasswd {path: " + ht + ", users: {bob: hunter2-secret}, group: root}");
        assertTrue(out.contains("changed: [h1] htpasswd"), out);
        assertTrue(Files.readString(ht).startsWith("bob:$2"), "a bcrypt hash");
        out = run(":history");
        assertTrue(out.contains("htpasswd {path: " + ht + ", users: {bob: ********}, group: root}"), out);
        assertFalse(screen.toString().contains("hunter2-secret"), "not even in the echo of the line");
        out = run(":undo");
        assertTrue(out.contains("restored " + ht), out);
        assertFalse(Files.exists(ht));
    }

    @Test
    @Order(10)
    void historyAndQuit() throws Exception {
        String out = run(":history");
        assertTrue(out.matches("(?s).*\\d+  changed\\s+copy dest=\\S+motd.*\\(undone\\).*"), out);
        assertTrue(out.contains("failed   cpy dest=/tmp/x"), out);
        send(":quit");
        shell.join(20_000);
        assertFalse(shell.isAlive());
        assertEquals(1, exit.get(), "a scripted session with a failed command exits 1");
    }
}
