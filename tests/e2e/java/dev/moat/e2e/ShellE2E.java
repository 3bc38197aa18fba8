package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's acceptance on testbed host h1: {@code moat shell} driven through a pipe (a module
 * change, {@code :undo} restoring it, {@code !} commands, check mode, {@code :facts}) and through
 * tmux (send-keys, capture-pane: Tab completes a module name and a path on the host, a command
 * prints its output, Ctrl-D leaves).
 */
class ShellE2E {
    static Testbed tb;
    static Path home;
    static Map<String, String> env;
    static final String DIR = "/opt/moat-shell-e2e";
    static final String SESSION = "moat-shell-e2e-" + ProcessHandle.current().pid();
    static boolean tmuxStarted;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        home = Files.createTempDirectory("moat-shell-home");
        env = Map.of("MOAT_HOME", home.toString());
        tb.exec("h1", "rm -rf " + DIR);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (tmuxStarted) {
            tmux("kill-session", "-t", SESSION);
            tmux("kill-server");
            Files.deleteIfExists(Path.of("/tmp/tmux-0", SESSION));
        }
        if (tb != null) tb.exec("h1", "rm -rf " + DIR);
    }

    static ProcResult shell(String... lines) {
        String script = String.join("\n", lines) + "\n";
        return Procs.run(MoatCli.command(List.of("shell", "h1", "-i", tb.inventory().toString())), MoatCli.root(), env, script,
                Duration.ofMinutes(3));
    }

    @Test
    void throughAPipe() {
        ProcResult r = shell(
                "file path=" + DIR + " state=directory",
                "copy dest=" + DIR + "/motd content=\"from the shell\\n\" mode=0640",
                "!cat " + DIR + "/motd; stat -c %a " + DIR + "/motd",
                ":undo",
                "!test -e " + DIR + "/motd && echo STILL-THERE || echo GONE-AGAIN",
                "!echo to-err >&2; exit 4",
                ":check on",
                "copy dest=" + DIR + "/checked content=x",
                ":check off",
                ":facts",
                ":quit");
        String out = r.stdout();
        assertEquals(1, r.exitCode(), "the '!... exit 4' failed, so a scripted session exits 1: " + r.describe());
        assertTrue(out.startsWith("moat shell: connected to h1"), out);
        assertTrue(out.contains("changed: [h1] copy"), out);
        assertTrue(out.contains("(contents hidden: a secret file)") && !out.contains("+from the shell"),
                "a 0640 file is not world-readable: its diff shows no contents: " + out);
        assertTrue(out.contains("from the shell\n640\nexit 0"), out);
        assertTrue(out.contains("undone: copy dest=" + DIR + "/motd"), out);
        assertTrue(out.contains("GONE-AGAIN\nexit 0"), ":undo removed the file the copy created: " + out);
        assertTrue(out.contains("to-err\nexit 4"), out);
        assertTrue(out.contains("h1 [check]> copy dest=" + DIR + "/checked"), out);
        assertNotEquals(0, tb.exec("h1", "test -e " + DIR + "/checked").exitCode(), "check mode wrote nothing");
        assertTrue(out.contains("os:") && out.contains("listening:") && out.contains("ufw:"), out);
        if (tb.docker()) assertTrue(out.matches("(?s).*docker: +\\d+\\..*"), out);
        assertFalse(out.contains("\u001b["), "plain output when stdin is not a terminal");
    }

    @Test
    void inTmux() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "needs tmux");
        StringBuilder cmd = new StringBuilder("MOAT_HOME=" + Sh.quote(home.toString()) + " TERM=xterm-256color");
        for (String a : MoatCli.command(List.of("shell", "h1", "-i", tb.inventory().toString()))) cmd.append(' ').append(Sh.quote(a));
        Path script = home.resolve("run.sh");
        Files.writeString(script, "cd " + Sh.quote(MoatCli.root().toString()) + "\n" + cmd + "\necho SHELL-EXITED-$?\nsleep 30\n");
        tmuxStarted = true;
        long t0 = System.nanoTime();
        tmux("new-session", "-d", "-s", SESSION, "-x", "200", "-y", "50", "bash " + script);
        awaitScreen("h1>");
        System.out.println("moat shell on h1: first prompt after " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        tmux("send-keys", "-t", SESSION, "-l", "cop");
        tmux("send-keys", "-t", SESSION, "Tab");
        awaitScreen("h1> copy");
        tmux("send-keys", "-t", SESSION, "C-u");

        tmux("send-keys", "-t", SESSION, "-l", "!cat /etc/hostn");
        tmux("send-keys", "-t", SESSION, "Tab");
        awaitScreen("h1> !cat /etc/hostname");
        tmux("send-keys", "-t", SESSION, "Enter");
        awaitScreen("exit 0");

        tmux("send-keys", "-t", SESSION, "-l", ":help co");
        tmux("send-keys", "-t", SESSION, "Tab");
        Thread.sleep(500);
        tmux("send-keys", "-t", SESSION, "C-u");
        tmux("send-keys", "-t", SESSION, "-l", ":help copy");
        tmux("send-keys", "-t", SESSION, "Enter");
        awaitScreen("dest (path)");

        Thread.sleep(300);
        tmux("send-keys", "-t", SESSION, "C-d");
        awaitScreen("SHELL-EXITED-0");
        assertTrue(Files.readString(home.resolve("history")).contains(":help copy"));
    }

    static String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", SESSION));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    static String awaitScreen(String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String s = "";
        while (System.nanoTime() < end) {
            s = tmux("capture-pane", "-p", "-t", SESSION);
            if (s.contains(text)) return s;
            Thread.sleep(100);
        }
        fail("no '" + text + "' on the screen:\n" + s);
        return s;
    }
}
