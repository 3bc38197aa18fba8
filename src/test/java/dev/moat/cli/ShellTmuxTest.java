package dev.moat.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code moat shell} on a real terminal: tmux runs it against the loopback sshd; keys go in with
 * send-keys and the screen comes back with capture-pane. Tab completes a module name, an argument
 * value and a path on the host; a change prints its result; Ctrl-C cancels a running command but
 * not the shell; Ctrl-D leaves; the history file is written. The tmux
 * server runs on its own socket, named for this JVM, and is killed by that name at the end.
 */
class ShellTmuxTest {
    static LoopbackSshd sshd;
    static Path tmp;
    static String socket;
    static final String SESSION = "moat-shell-test-" + ProcessHandle.current().pid();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(LoopbackSshd.available(), "needs root, /usr/sbin/sshd and ssh-keygen");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "needs tmux");
        tmp = LoopbackSshd.scratch("moat-shell-tmux");
        sshd = new LoopbackSshd(Files.createDirectory(tmp.resolve("sshd")));
        Files.createDirectories(tmp.resolve("files/subdir-for-completion"));
        socket = SESSION;
    }

    @AfterAll
    static void stop() throws Exception {
        if (socket != null) {
            tmux("kill-session", "-t", SESSION);
            tmux("kill-server");
            // The server leaves its socket file behind.
            Files.deleteIfExists(Path.of("/tmp/tmux-0", socket)); // the tests run as root: see start()
        }
        if (sshd != null) sshd.close();
    }

    static String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    static String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", SESSION);
    }

    static String awaitScreen(String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String s = "";
        while (System.nanoTime() < end) {
            s = screen();
            if (s.contains(text)) return s;
            Thread.sleep(100);
        }
        fail("no '" + text + "' on the screen:\n" + s);
        return s;
    }

    static void keys(String... keys) throws Exception {
        List<String> a = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        a.addAll(List.of(keys));
        tmux(a.toArray(String[]::new));
    }

    /** Sends {@code text} literally (no key-name lookup). */
    static void type(String text) throws Exception {
        tmux("send-keys", "-t", SESSION, "-l", text);
    }

    @Test
    void completionAndAChangeOnARealTerminal() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path home = tmp.resolve("home");
        Path file = tmp.resolve("files/greeting");
        String cmd = "MOAT_HOME=" + home + " TERM=xterm-256color " + java + " -cp " + cp + " dev.moat.cli.Main shell h1 -i "
                + sshd.inventory + " --known-hosts " + sshd.knownHosts + " --journal-dir " + tmp.resolve("journal")
                + "; echo SHELL-EXITED-$?; sleep 30";
        Path script = tmp.resolve("run.sh");
        Files.writeString(script, cmd + "\n");
        long t0 = System.nanoTime();
        // bash, not dash: on Ctrl-C dash would end the script once the shell exits, before it echoes
        tmux("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", "bash " + script);
        awaitScreen("h1>"); // capture-pane drops trailing spaces
        long toPrompt = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("moat shell: first prompt on a terminal after " + toPrompt + " ms");

        type("cop");
        keys("Tab");
        awaitScreen("h1> copy");
        type("dest=" + file + " content=hi st");
        keys("Tab");
        // 'st' completes to nothing for copy: no such argument; delete it and complete a value instead
        keys("BSpace", "BSpace");
        type("backup=f");
        keys("Tab");
        awaitScreen("backup=false");
        keys("Enter");
        String s = awaitScreen("changed: [h1] copy");
        awaitScreen("+hi"); // the diff follows the result line
        assertEquals("hi", Files.readString(file));

        type("!ls " + tmp.resolve("files/subd"));
        keys("Tab");
        awaitScreen("files/subdir-for-completion/");
        keys("Enter");
        awaitScreen("exit 0");

        type(":undo");
        keys("Enter");
        awaitScreen("undone: copy");
        assertFalse(Files.exists(file), "the copy made the file; undo removed it");

        type(":check on");
        keys("Enter");
        awaitScreen("h1 [check]>");
        type("htpasswd {path: " + tmp.resolve("files/ht") + ", users: {bob: tmux-secret-pw}}");
        keys("Enter");
        awaitScreen("changed: [h1] htpasswd");

        type(":check off");
        keys("Enter");
        type("!sleep 30; echo NOT-$((1+1))-CANCELLED");
        keys("Enter");
        Thread.sleep(1000);
        long c0 = System.nanoTime();
        keys("C-c");
        awaitScreen("^C cancelled");
        type("!echo still-alive");
        keys("Enter");
        awaitScreen("still-alive\nexit 0\nh1>");
        Thread.sleep(300); // keys typed before the line reader reads again go to the tty's cooked mode
        assertTrue((System.nanoTime() - c0) / 1_000_000_000 < 15, "Ctrl-C gave the prompt back at once");
        assertFalse(screen().contains("NOT-2-CANCELLED"), "the command did not finish");

        keys("C-d");
        awaitScreen("SHELL-EXITED-0");
        String history = Files.readString(home.resolve("history"));
        assertTrue(history.contains("copy dest=" + file), history);
        assertTrue(history.contains(":undo"), history);
        assertFalse(history.contains("tmux-secret-pw"), "a line with a secret stays out of the history file: " + history);
        assertTrue(history.contains(":check on"), history);
    }
}
