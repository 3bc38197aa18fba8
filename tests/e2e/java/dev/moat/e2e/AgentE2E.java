package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * moat authenticates with a key that only a real OpenSSH {@code ssh-agent} holds
 * ({@code SSH_AUTH_SOCK}): no key file is named and the user's home has none, so the agent is the
 * only way in. The agent signs; the private key never leaves it. With the agent holding another key,
 * the host is unreachable and the message names what was tried.
 */
class AgentE2E {
    static Testbed tb;
    static Path dir, socket, home;
    static Process agent;

    @BeforeAll
    static void startAgent() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-agent-e2e");
        home = Files.createDirectories(dir.resolve("home")); // no .ssh: no default key files
        socket = dir.resolve("agent.sock");
        agent = new ProcessBuilder("/usr/bin/ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile()).start();
        for (int i = 0; i < 100 && !Files.exists(socket); i++) Thread.sleep(50);
        assertTrue(Files.exists(socket), "ssh-agent made its socket");
        Files.writeString(dir.resolve("play.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: marker
                      copy:
                        dest: /root/moat-agent-e2e
                        content: "{{ inventory_hostname }}\\n"
                        mode: "0600"
                """);
        Files.writeString(dir.resolve("inventory.yml"), "all:\n  hosts:\n    h1:\n      ansible_host: "
                + tb.host("h1").address() + "\n      ansible_user: root\n");
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.destroy(); // the agent started above, by its handle
            agent.waitFor(5, TimeUnit.SECONDS);
        }
        if (tb != null) tb.exec("h1", "rm -f /root/moat-agent-e2e");
    }

    static ProcResult sh(String... command) {
        return Procs.run(List.of(command), dir, Map.of("SSH_AUTH_SOCK", socket.toString()), "", Duration.ofSeconds(30));
    }

    static ProcResult moat() {
        Map<String, String> env = Map.of("MOAT_HOME", dir.resolve("moat").toString(),
                "SSH_AUTH_SOCK", socket.toString(),
                // Java takes the home directory from the password database, not $HOME.
                "JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
        return MoatCli.run(dir, env, Duration.ofMinutes(3), "apply", dir.resolve("play.yml").toString(),
                "-i", dir.resolve("inventory.yml").toString(), "--known-hosts", tb.knownHosts().toString(), "--timeout", "10");
    }

    @Test
    void aKeyHeldOnlyByTheAgentLogsIn() throws Exception {
        tb.exec("h1", "rm -f /root/moat-agent-e2e");
        Path copy = dir.resolve("only-in-agent");
        Files.copy(tb.key(), copy);
        Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertEquals(0, sh("/usr/bin/ssh-add", "-q", copy.toString()).exitCode());
        Files.delete(copy); // from here on only the agent has it
        try {
            ProcResult r = moat();
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals("h1\n", tb.execOk("h1", "cat /root/moat-agent-e2e"));
        } finally {
            sh("/usr/bin/ssh-add", "-D");
        }
    }

    @Test
    void anAgentWithTheWrongKeyIsUnreachableNamingTheAgentKey() throws Exception {
        Path other = dir.resolve("other");
        ProcResult kg = sh("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "not-authorized", "-f", other.toString());
        assertEquals(0, kg.exitCode(), kg.describe());
        assertEquals(0, sh("/usr/bin/ssh-add", "-q", other.toString()).exitCode());
        try {
            ProcResult r = moat();
            assertEquals(3, r.exitCode(), r.describe());
            String out = r.stdout() + r.stderr();
            assertTrue(out.contains("not-authorized"), "names the agent's key it tried: " + out);
            assertTrue(out.contains("ssh-agent"), out);
            assertFalse(out.contains("PRIVATE KEY"), out);
        } finally {
            sh("/usr/bin/ssh-add", "-D");
        }
    }
}
