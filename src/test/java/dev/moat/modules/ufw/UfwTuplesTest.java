package dev.moat.modules.ufw;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.moat.facts.CommandOutput;

class UfwTuplesTest {
    static String resource(String name) {
        try (InputStream in = UfwTuplesTest.class.getResourceAsStream("/ufw/" + name)) {
            if (in == null) throw new AssertionError("missing fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void realRulesFilesParseWithFamiliesMerged() throws Exception {
        List<UfwRule> rules = UfwTuples.parse(resource("user.rules"), resource("user6.rules"));
        List<String> shown = rules.stream().map(UfwRule::display).toList();
        assertEquals(List.of(
                "allow in proto tcp from any to any port 22",
                "allow in proto tcp from any to any port 80",
                "limit in proto tcp from any to any port 2222",
                "allow in proto tcp from 10.0.0.0/8 to any port 8000:8010 (v4)",
                "deny out from any to any port 25",
                "route allow in on eth0 out on eth1 proto tcp from any to 10.0.0.5 port 80 (v4)",
                "reject in from 1.2.3.4 to any (v4)",
                "allow in proto tcp from any to any port 443  # web tls",
                "allow in proto tcp from 192.168.1.0/24 to 10.0.0.1 port 5432 (v4)",
                "allow in proto tcp from 10.0.0.0/8 to any port 22 (v4)",
                "allow in proto tcp from any to any port 80,443",
                "allow in proto tcp from any to any app OpenSSH",
                "allow in on eth0 log proto udp from any to any port 53",
                "allow in proto tcp from 2001:db8::1 to any port 22 (v6)"), shown);
        UfwRule app = rules.get(11);
        assertEquals("OpenSSH", app.dapp());
        assertEquals("22", app.dport());
        assertTrue(app.coversPort(22));
        assertEquals("ufw --force delete allow in on eth0 log proto udp from any to any port 53", rules.get(12).deleteCommand());
    }

    @Test
    void pristineFilesHaveNoRulesAndOddTuplesAreErrors() throws Exception {
        assertTrue(UfwTuples.parse(resource("user.rules.pristine"), resource("user6.rules.pristine")).isEmpty());
        assertTrue(UfwTuples.parse(null, null).isEmpty());
        assertThrows(dev.moat.module.TaskException.class, () -> UfwTuples.parse("### tuple ### allow tcp 22\n", null));
    }

    @Test
    void keysNormalizeSpellings() {
        UfwRule a = UfwRule.declared("allow", "in", "", "tcp", "443,80", "any", "any", "10.1.2.3/8", null);
        UfwRule b = new UfwRule("allow", "", "in", "", "tcp", "80,443", "0.0.0.0/0", "any", "10.0.0.0/8", "", "", "x", false, true, false);
        assertEquals(a.key(), b.key());
        assertNotEquals(a.key(), UfwRule.declared("allow", "in", "", "udp", "443,80", "any", "any", "10.0.0.0/8", null).key());
        assertEquals(UfwRule.declared("allow", "in", "", "tcp", "22", "any", "any", "2001:db8:0::1/128", null).key(),
                new UfwRule("allow", "", "in", "", "tcp", "22", "::/0", "any", "2001:db8::1", "", "", null, false, false, true).key());
        assertTrue(a.v4() && !a.v6());
        UfwRule any = UfwRule.declared("allow", "in", "", "tcp", "22", "any", "any", "any", "it's ssh");
        assertTrue(any.v4() && any.v6());
        assertEquals("ufw allow in proto tcp from any to any port 22 comment 'it'\\''s ssh'", any.addCommand());
    }

    @Test
    void addresses() {
        assertTrue(Addresses.covers("10.0.0.0/8", "10.77.0.1"));
        assertFalse(Addresses.covers("10.0.0.0/8", "192.168.0.1"));
        assertTrue(Addresses.covers("10.0.0.0/8", "::ffff:10.1.1.1"));
        assertTrue(Addresses.covers("2001:db8::/32", "2001:db8:1::5"));
        assertFalse(Addresses.covers("2001:db8::/32", "10.0.0.1"));
        assertTrue(Addresses.loopback("127.0.0.53") && Addresses.loopback("::1") && !Addresses.loopback("0.0.0.0"));
        assertFalse(Addresses.valid("example.com"));
        assertFalse(Addresses.valid("300.1.1.1"));
        assertFalse(Addresses.valid("10.0.0.0/33"));
        assertTrue(Addresses.valid("fe80::1/64"));
    }

    @Test
    void sshPortsUnderSudoFindTheConnectionByItsSshdAncestor() {
        SshPorts p = SshPorts.parse(new CommandOutput(0, resource("sshd-ports-sudo.txt"), ""));
        assertEquals(Set.of(22, 2200, 2222), p.listening());
        assertEquals(Set.of(22), p.configured());
        assertEquals(2200, p.connection());
        assertEquals("127.0.0.1", p.peer());
        assertEquals(Set.of(22, 2200, 2222), p.required());
    }

    @Test
    void sshPortsFallBacks() {
        // loopback-only sshd (ufw never filters lo) and the login environment without sudo
        SshPorts env = SshPorts.parse(new CommandOutput(0,
                "listen LISTEN 0 128 127.0.0.1:22 0.0.0.0:* users:((\"sshd\",pid=9,fd=3))\nconfig 22\nenv 10.77.0.1 51000 10.77.0.11 2222\n", ""));
        assertEquals(Set.of(), env.listening());
        assertEquals(Set.of(22, 2222), env.required());
        assertEquals("10.77.0.1", env.peer());
        // socket activation: systemd holds the socket, sshd -T knows the port
        SshPorts socket = SshPorts.parse(new CommandOutput(0,
                "config 2022\nenv \n", ""));
        assertEquals(Set.of(2022), socket.required());
        SshPorts nothing = SshPorts.parse(new CommandOutput(0, "env \n", ""));
        assertTrue(nothing.guessed());
        assertEquals(Set.of(22), nothing.required());
    }
}
