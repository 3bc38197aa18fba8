package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.moat.facts.CommandOutput;
import dev.moat.modules.ufw.SshPorts;
import dev.moat.modules.ufw.UfwLive;

/**
 * The host-side reads without Python against the reads they replace, on a real host: UFW's state
 * from its files and the kernel ({@link UfwLive#FACT}) against {@code ufw status verbose} in several
 * states, and sshd's ports from /proc ({@link SshPorts#FACT}) against {@code ss} and {@code sshd -T}
 * ({@link SshPorts#LEGACY}), as root and through sudo.
 */
class HostReadsE2E {
    static Testbed tb;
    static String h;

    @BeforeAll
    static void setUp() {
        tb = Testbed.fromEnv();
        h = tb.hosts().get(0).name();
    }

    @AfterAll
    static void tearDown() {
        if (tb != null) tb.exec(h, "ufw --force reset >/dev/null 2>&1; ufw --force disable >/dev/null 2>&1; "
                + "sed -i 's/^IPV6=.*/IPV6=yes/' /etc/default/ufw; rm -f /etc/ufw/*.rules.20*");
    }

    static CommandOutput out(ProcResult r) {
        return new CommandOutput(r.exitCode(), r.stdout(), r.stderr());
    }

    @Test
    void ufwStateFromFilesAndKernelIsUfwStatusInEveryState() {
        Map<String, String> states = new LinkedHashMap<>();
        states.put("inactive", "ufw --force reset; ufw --force disable");
        states.put("active", "ufw default deny incoming; ufw allow 22/tcp comment 'ssh (moat)'; ufw --force enable");
        states.put("limit, reject, out, interface, IPv6 source", "ufw limit proto tcp from 10.0.0.0/8 to any port 2222 comment admin;"
                + " ufw deny out 25/tcp; ufw allow in on eth0 to any port 8080 proto tcp; ufw reject 23;"
                + " ufw allow from 2001:db8::/32 to any port 9100 proto tcp");
        states.put("route rules", "ufw route allow proto tcp to any port 8000 comment ai; ufw route deny in on eth0 out on eth1");
        states.put("IPv6 off", "sed -i 's/^IPV6=.*/IPV6=no/' /etc/default/ufw; ufw reload");
        states.put("enabled but not loaded", "/lib/ufw/ufw-init stop");
        states.put("disabled with rules", "sed -i 's/^IPV6=.*/IPV6=yes/' /etc/default/ufw; ufw --force disable");
        for (Map.Entry<String, String> s : states.entrySet()) {
            tb.execOk(h, "{ " + s.getValue() + "; } >/dev/null 2>&1; true");
            UfwLive old = UfwLive.parse(out(tb.exec(h, "ufw status verbose")));
            UfwLive now = UfwLive.parse(out(tb.exec(h, "root", "sh -s", UfwLive.FACT.script())));
            assertEquals(old, now, s.getKey());
            assertNull(now.error(), s.getKey());
        }
        // the last two states differ in the kernel only: both inactive; "active" was active
        tb.execOk(h, "ufw --force enable >/dev/null");
        assertTrue(UfwLive.parse(out(tb.exec(h, "root", "sh -s", UfwLive.FACT.script()))).active());
    }

    @Test
    void sshdPortsFromProcAreSsAndSshdT() {
        for (List<String> how : List.of(List.of("root", "sh -s"), List.of("deploy", "sudo -n sh -s"))) {
            SshPorts old = SshPorts.parse(out(tb.exec(h, how.get(0), how.get(1), SshPorts.LEGACY.script())));
            SshPorts now = SshPorts.parse(out(tb.exec(h, how.get(0), how.get(1), SshPorts.FACT.script())));
            String who = how.get(0);
            assertEquals(old.listening(), now.listening(), who);
            assertEquals(old.configured(), now.configured(), who);
            assertEquals(old.connection(), now.connection(), who);
            assertEquals(old.peer(), now.peer(), who);
            assertEquals(old.local(), now.local(), who);
            assertEquals(old.required(), now.required(), who);
            assertNotNull(now.connection(), who + ": the session's port is found under sudo too");
            assertFalse(now.listening().isEmpty(), who);
        }
    }
}
