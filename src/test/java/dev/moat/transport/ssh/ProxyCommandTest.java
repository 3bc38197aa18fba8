package dev.moat.transport.ssh;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.transport.Endpoint;
import dev.moat.transport.UnreachableException;

/**
 * ProxyCommand: where it is read from (ssh_config, quotes kept for the shell; the inventory's ssh
 * arguments), which wins, {@code ssh -W} still a bastion in-process, and the process plumbing: a
 * local command speaking a fake SSH banner carries the connection (no DNS for the target), and the
 * failure names the ProxyCommand with its exit and what it said on stderr.
 */
class ProxyCommandTest {
    @TempDir
    Path tmp;

    @Test
    void sshConfigKeepsTheCommandAsWrittenAndTheFirstOfProxyJumpOrProxyCommandWins() {
        SshConfig c = SshConfig.parse("""
                Host gpu-*
                    ProxyCommand sh -c "nc -x proxy:1080 %h %p"
                    ProxyJump ignored
                Host db
                    ProxyJump bastion
                    ProxyCommand ignored
                Host off
                    ProxyCommand none
                Host w
                    ProxyCommand=ssh -W %h:%p ops@b2
                """);
        assertEquals("sh -c \"nc -x proxy:1080 %h %p\"", c.resolve("gpu-1").proxyCommand());
        assertNull(c.resolve("gpu-1").proxyJump());
        assertEquals("bastion", c.resolve("db").proxyJump());
        assertNull(c.resolve("db").proxyCommand());
        assertNull(c.resolve("off").proxyCommand());

        Target gpu = Target.resolve(Endpoint.of("gpu-1", "gpu-1", 22, "ops"), c, true);
        assertEquals("sh -c \"nc -x proxy:1080 %h %p\"", gpu.proxyCommand());
        assertEquals("sh -c \"nc -x proxy:1080 gpu-1 22\"", gpu.proxy().command());
        Target w = Target.resolve(Endpoint.of("w", "w", 22, "ops"), c, true);
        assertNull(w.proxyCommand(), "ssh -W is a bastion moat connects in-process");
        assertEquals("b2", w.jump().get(0).address());
        Target inventoryJump = Target.resolve(new Endpoint("gpu-2", "gpu-2", 22, "ops", null, null, ProxyJumps.parse("j1")), c, true);
        assertNull(inventoryJump.proxyCommand(), "the inventory's bastion beats ssh_config's ProxyCommand");
    }

    @Test
    void theInventorysSshArgsGiveTheCommandUnlessItIsSshW() {
        assertEquals("nc -X 5 -x proxy:1080 %h %p", ProxyJumps.commandFromSshArgs("-o ProxyCommand=\"nc -X 5 -x proxy:1080 %h %p\""));
        assertNull(ProxyJumps.commandFromSshArgs("-o ProxyCommand=\"ssh -W %h:%p ops@b\""));
        assertNull(ProxyJumps.commandFromSshArgs("-J b -o ProxyCommand=\"nc %h %p\""), "the first of ProxyJump and ProxyCommand wins");
        assertNull(ProxyJumps.commandFromSshArgs("-o ProxyCommand=none"));
        assertEquals(List.of(), SshArgs.problems("-o 'ProxyCommand=nc %h %p'", false));
        assertEquals("a b:2 %q % ops n", ProxyCommand.expand("a %h:%p %q %% %r %n", "b", 2, "ops", "n"));
    }

    @Test
    void aFailedConnectionThroughTheCommandShowsItWithItsExitAndStderr() throws Exception {
        Path known = Files.writeString(tmp.resolve("known_hosts"), "");
        SshSettings s = SshSettings.defaults().withKnownHosts(known, false).withKeys(null, List.of(), PassphrasePrompt.NONE)
                .withSshConfig(tmp.resolve("none")).withTimeouts(Duration.ofSeconds(5), null);
        // run as "exec COMMAND" through the shell, as OpenSSH runs it: a script needs its own sh -c
        Path got = tmp.resolve("got");
        String cmd = "sh -c 'printf \"SSH-2.0-FakeProxy\\r\\n\"; head -c 8 > " + got + "; echo \"proxy for %r@%h:%p\" >&2; exit 3'";
        Endpoint e = new Endpoint("h1", "target.invalid", 2222, "ops", null, null, List.of(), cmd);
        try (SshConnector ssh = new SshConnector(s)) {
            UnreachableException ex = assertThrows(UnreachableException.class, () -> ssh.connect(e).close());
            String m = ex.getMessage();
            assertTrue(m.contains("h1 (target.invalid:2222 through ProxyCommand 'sh -c "), m);
            assertTrue(m.contains("the ProxyCommand exited with 3 and said: proxy for ops@target.invalid:2222"), m);
            assertFalse(m.contains("DNS"), "the target's name is the proxy's to resolve: " + m);
            assertEquals("SSH-2.0-", Files.readString(got), "moat spoke SSH to the command's standard input");
        }
    }

    @Test
    void aCommandThatCannotRunSaysSo() throws Exception {
        Path known = Files.writeString(tmp.resolve("known_hosts"), "");
        SshSettings s = SshSettings.defaults().withKnownHosts(known, false).withKeys(null, List.of(), PassphrasePrompt.NONE)
                .withSshConfig(tmp.resolve("none")).withTimeouts(Duration.ofSeconds(5), null);
        Endpoint e = new Endpoint("h1", "10.0.0.1", 22, "ops", null, null, List.of(), "/nonexistent/proxy %h");
        try (SshConnector ssh = new SshConnector(s)) {
            String m = assertThrows(UnreachableException.class, () -> ssh.connect(e).close()).getMessage();
            assertTrue(m.contains("through ProxyCommand '/nonexistent/proxy 10.0.0.1'"), m);
            assertTrue(m.contains("the ProxyCommand exited with 127 and said: ") && m.contains("/nonexistent/proxy"), m);
        }
    }
}
