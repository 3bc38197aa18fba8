package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ProxyCommand on real sshd hosts: a netcat-like command (bash's /dev/tcp, so no nc is needed)
 * given in {@code ansible_ssh_common_args} and in an ssh_config file carries the connection; the
 * host key is still checked against the target (an unknown one is refused through the proxy too);
 * {@code env ssh -W} through h1 reaches h2 with the ssh client as the one process moat starts; a
 * failing command's stderr is in the error.
 */
class ProxyCommandE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-proxycommand");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        Files.writeString(dir.resolve("play.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: marker
                      copy:
                        dest: /root/moat-proxy-e2e
                        content: "{{ inventory_hostname }}\\n"
                        mode: "0600"
                """);
    }

    @AfterAll
    static void tearDown() {
        for (TestHost h : tb.hosts()) tb.exec(h.name(), "rm -f /root/moat-proxy-e2e");
    }

    /** A netcat in bash that also leaves a mark that it ran. */
    static String bashNc(String mark) {
        return "bash -c 'echo %h:%p > " + dir.resolve(mark) + "; exec 3<>/dev/tcp/%h/%p; cat <&3 & exec cat >&3'";
    }

    static Path inventory(String name, String host, String sshArgs) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "all:\n  hosts:\n    " + host + ":\n      ansible_host: " + tb.host(host).address()
                + "\n      ansible_user: root\n      ansible_ssh_private_key_file: " + tb.key() + "\n"
                + (sshArgs == null ? "" : "      ansible_ssh_common_args: " + yamlQuote(sshArgs) + "\n"));
        return p;
    }

    static String yamlQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(3), args);
    }

    @Test
    void aProxyCommandInTheInventoryCarriesTheConnection() throws Exception {
        tb.exec("h1", "rm -f /root/moat-proxy-e2e");
        Path inv = inventory("inv.yml", "h1", "-o ProxyCommand=\"" + bashNc("inv-used") + "\"");
        ProcResult r = moat("apply", dir.resolve("play.yml").toString(), "-i", inv.toString(), "--known-hosts", tb.knownHosts().toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(tb.host("h1").address() + ":22\n", Files.readString(dir.resolve("inv-used")), "the ProxyCommand ran");
        assertEquals("h1\n", tb.execOk("h1", "cat /root/moat-proxy-e2e"));
    }

    @Test
    void aProxyCommandFromSshConfigAndTheHostKeyStillChecked() throws Exception {
        Path home = Files.createDirectories(dir.resolve("fakehome/.ssh"));
        Files.writeString(home.resolve("config"), "Host " + tb.host("h2").address() + "\n    ProxyCommand " + bashNc("cfg-used") + "\n");
        Map<String, String> withHome = Map.of("MOAT_HOME", dir.resolve("home").toString(), "JAVA_TOOL_OPTIONS", "-Duser.home=" + home.getParent());
        Path inv = inventory("cfg.yml", "h2", null);
        ProcResult r = MoatCli.run(null, withHome, Duration.ofMinutes(3), "apply", dir.resolve("play.yml").toString(), "-i", inv.toString(),
                "--known-hosts", tb.knownHosts().toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(Files.exists(dir.resolve("cfg-used")), "ssh_config's ProxyCommand ran");
        Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "");
        ProcResult refused = MoatCli.run(null, withHome, Duration.ofMinutes(3), "apply", dir.resolve("play.yml").toString(), "-i", inv.toString(),
                "--known-hosts", empty.toString());
        assertEquals(3, refused.exitCode(), refused.describe());
        assertTrue((refused.stdout() + refused.stderr()).contains("ProxyCommand"), refused.describe());
    }

    @Test
    void sshDashWThroughAnotherHostAsAProcess() throws Exception {
        tb.exec("h2", "rm -f /root/moat-proxy-e2e");
        String viaH1 = "env ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + tb.knownHosts()
                + " -o IdentitiesOnly=yes -i " + tb.key() + " -W %h:%p root@" + tb.host("h1").address();
        Path inv = inventory("via-h1.yml", "h2", "-o ProxyCommand=\"" + viaH1 + "\"");
        ProcResult r = moat("apply", dir.resolve("play.yml").toString(), "-i", inv.toString(), "--known-hosts", tb.knownHosts().toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("h2\n", tb.execOk("h2", "cat /root/moat-proxy-e2e"));
    }

    @Test
    void aFailingProxyCommandShowsWhatItSaid() throws Exception {
        Path inv = inventory("bad.yml", "h1", "-o ProxyCommand=\"sh -c 'echo no route via corp proxy >&2; exit 7'\"");
        ProcResult r = moat("apply", dir.resolve("play.yml").toString(), "-i", inv.toString(), "--known-hosts", tb.knownHosts().toString());
        assertEquals(3, r.exitCode(), r.describe());
        assertTrue((r.stdout() + r.stderr()).contains("the ProxyCommand exited with 7 and said: no route via corp proxy"), r.describe());
    }
}
