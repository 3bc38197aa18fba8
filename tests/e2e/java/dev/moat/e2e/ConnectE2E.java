package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How moat reaches hosts, on real sshd hosts: an unreachable host among several, a changed host
 * key, sshd on a non-standard port, and become through non-root users.
 */
class ConnectE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        dir = Files.createTempDirectory("moat-connect");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
        Files.writeString(dir.resolve("play.yml"), """
                - hosts: all
                  tasks:
                    - name: marker
                      copy:
                        dest: /root/moat-connect-e2e
                        content: "{{ inventory_hostname }}\\n"
                        mode: "0600"
                """);
    }

    @AfterAll
    static void tearDown() {
        for (TestHost h : tb.hosts()) tb.exec(h.name(), "rm -f /root/moat-connect-e2e");
    }

    static String host(String name, String address, int port, String user, String extra) {
        return "    " + name + ":\n      ansible_host: " + address + "\n      ansible_port: " + port
                + "\n      ansible_user: " + user + "\n      ansible_ssh_private_key_file: " + tb.key() + "\n" + extra;
    }

    static Path inventory(String name, String... hosts) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "all:\n  hosts:\n" + String.join("", hosts));
        return p;
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(3), args);
    }

    @Test
    void anUnreachableHostDoesNotStopTheOthers() throws Exception {
        Path inv = inventory("unreachable.yml",
                host("h1", tb.host("h1").address(), 22, "root", ""),
                host("h2", tb.host("h2").address(), 22, "root", ""),
                host("ghost", "10.77.0.99", 22, "root", ""));
        ProcResult r = moat("apply", dir.resolve("play.yml").toString(), "-i", inv.toString(),
                "--known-hosts", tb.knownHosts().toString(), "--timeout", "3");
        assertEquals(3, r.exitCode(), r.describe());
        assertTrue(r.stdout().matches("(?s).*\\nghost +: ok=0 +changed=0 +unreachable=1 .*"), r.stdout());
        assertTrue(r.stdout().contains("10.77.0.99"), "names the address: " + r.stdout());
        assertEquals("h1\n", tb.execOk("h1", "cat /root/moat-connect-e2e"));
        assertEquals("h2\n", tb.execOk("h2", "cat /root/moat-connect-e2e"));
    }

    @Test
    void aChangedHostKeyIsRefusedNamingBothFingerprints() throws Exception {
        // A known_hosts file that pins h2's keys to h1's address: what a changed key looks like.
        String h2keys = Files.readAllLines(tb.knownHosts()).stream()
                .filter(l -> l.startsWith(tb.host("h2").address() + " "))
                .map(l -> tb.host("h1").address() + l.substring(tb.host("h2").address().length()))
                .collect(Collectors.joining("\n"));
        Path known = dir.resolve("changed_known_hosts");
        Files.writeString(known, h2keys + "\n");
        tb.exec("h1", "rm -f /root/moat-connect-e2e");
        Path inv = inventory("changed.yml", host("h1", tb.host("h1").address(), 22, "root", ""));
        ProcResult r = moat("apply", dir.resolve("play.yml").toString(), "-i", inv.toString(), "--known-hosts",
                known.toString(), "--accept-new-host-keys");
        assertEquals(3, r.exitCode(), r.describe());
        String all = r.stdout() + r.stderr();
        assertTrue(all.matches("(?s).*SHA256:\\S+.*SHA256:\\S+.*"), "both fingerprints: " + all);
        assertTrue(all.contains("h1"), all);
        assertNotEquals(0, tb.exec("h1", "test -e /root/moat-connect-e2e").exitCode(), "nothing ran on h1");
        assertEquals(h2keys + "\n", Files.readString(known), "--accept-new-host-keys never records a changed key");
    }

    @Test
    void sshdOnANonStandardPort() throws Exception {
        String h3 = tb.host("h3").address();
        tb.execOk("h3", "/usr/sbin/sshd -p 2222 -o PidFile=/run/moat-e2e-sshd.pid");
        try {
            // The same host keys answer on the other port: known_hosts says [addr]:2222 for them.
            String keys = Files.readAllLines(tb.knownHosts()).stream().filter(l -> l.startsWith(h3 + " "))
                    .map(l -> "[" + h3 + "]:2222" + l.substring(h3.length())).collect(Collectors.joining("\n"));
            Path known = dir.resolve("port_known_hosts");
            Files.writeString(known, keys + "\n");
            Path inv = inventory("port.yml", host("h3", h3, 2222, "root", ""));
            ProcResult r = moat("apply", dir.resolve("play.yml").toString(), "-i", inv.toString(), "--known-hosts", known.toString());
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals("h3\n", tb.execOk("h3", "cat /root/moat-connect-e2e"));
        } finally {
            tb.exec("h3", "kill $(cat /run/moat-e2e-sshd.pid)");
        }
    }

    @Test
    void becomeThroughAUserWithPasswordlessSudo() throws Exception {
        tb.exec("h1", "rm -f /root/moat-connect-e2e");
        Path inv = inventory("become.yml", host("h1", tb.host("h1").address(), 22, "deploy", "      ansible_become: true\n"));
        ProcResult r = moat("apply", dir.resolve("play.yml").toString(), "-i", inv.toString(), "--known-hosts", tb.knownHosts().toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("root 600 h1", tb.execOk("h1", "stat -c '%U %a' /root/moat-connect-e2e").strip() + " "
                + tb.execOk("h1", "cat /root/moat-connect-e2e").strip());
    }

    @Test
    void aSudoThatWantsAPasswordFailsClearly() throws Exception {
        tb.exec("h2", "rm -f /root/moat-connect-e2e");
        Path inv = inventory("ops.yml", host("h2", tb.host("h2").address(), 22, "ops", "      ansible_become: true\n"));
        ProcResult r = moat("apply", dir.resolve("play.yml").toString(), "-i", inv.toString(), "--known-hosts", tb.knownHosts().toString());
        assertNotEquals(0, r.exitCode(), r.describe());
        assertTrue((r.stdout() + r.stderr()).contains("--ask-become-pass"), r.describe());
        assertFalse((r.stdout() + r.stderr()).contains("Exception"), "no stack trace: " + r.describe());
        assertNotEquals(0, tb.exec("h2", "test -e /root/moat-connect-e2e").exitCode());
    }
}
