package dev.moat.modules.ufw;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.moat.facts.CommandOutput;
import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;

/**
 * The file-and-kernel read of UFW ({@link UfwLive#FACT}) against {@code ufw status verbose}, recorded
 * on a testbed host for the same files (resources {@code ufw/cases/CASE/}: the two outputs, and
 * /etc/default/ufw, ufw.conf, user.rules, user6.rules as they were). Both reads must give the same
 * {@link UfwState}, and that state must say what ufw itself printed: status, default policies and
 * every rule (action and direction, port, protocol, comment, IPv6 copy).
 */
class UfwLiveTest {
    static final String CASES = "cases/";

    static CommandOutput output(String c, String name) {
        String rc = UfwTuplesTest.resource(CASES + c + "/" + name + ".rc").strip();
        return new CommandOutput(Integer.parseInt(rc), UfwTuplesTest.resource(CASES + c + "/" + name + ".txt"),
                UfwTuplesTest.resource(CASES + c + "/" + name + ".err"));
    }

    static FileState file(String c, String path) throws TaskException {
        String name = path.substring(1).replace('/', '_');
        String text = UfwTuplesTest.resource(CASES + c + "/" + name);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String out = "file 640 0 0 " + body.length + " root root\n" + text;
        return new FileFact(path).parse(new FactOutput(0, out.getBytes(StandardCharsets.UTF_8), new byte[0]));
    }

    static UfwState state(String c, CommandOutput status) throws TaskException {
        return UfwState.of(status, file(c, "/etc/default/ufw"), file(c, "/etc/ufw/user.rules"), file(c, "/etc/ufw/user6.rules"), false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"inactive", "inactive-with-rules", "active-baseline", "active-mixed", "active-route",
            "active-ipv6-off", "enabled-not-loaded"})
    void theFileReadDecidesAsUfwStatus(String c) throws Exception {
        UfwState before = state(c, output(c, "status-verbose"));
        UfwState now = state(c, output(c, "live"));
        assertEquals(before, now);
        String status = output(c, "status-verbose").stdout();
        assertEquals(status.startsWith("Status: active"), now.active());
        if (now.active()) assertSaysWhatUfwPrints(status, now, UfwTuplesTest.resource(CASES + c + "/etc_default_ufw"));
    }

    @Test
    void ufwMissingFromThePathIsNotInstalledEitherWay() throws Exception {
        UfwLive old = UfwLive.parse(output("not-on-path", "status-verbose"));
        UfwLive now = UfwLive.parse(output("not-on-path", "live"));
        assertEquals(old, now);
        assertFalse(now.installed());
        TaskException e = assertThrows(TaskException.class, () -> now.require(false));
        assertTrue(e.getMessage().contains("not installed"), e.getMessage());
        assertDoesNotThrow(() -> now.require(true));
    }

    @Test
    void notRootAndBrokenIptablesAreErrorsAsUfwStatusWas() {
        UfwLive root = UfwLive.parse(new CommandOutput(0, "notroot\n", ""));
        UfwLive old = UfwLive.parse(new CommandOutput(1, "", "ERROR: You need to be root to run this script\n"));
        assertEquals(old.error(), root.error());
        UfwLive broken = UfwLive.parse(new CommandOutput(0, "enabled yes\nipv6 yes\nchain4 input 0\nchain4 output 0\nchain4 forward 0\nlist6 - 4\n",
                "ip6tables v1.8.9 (nf_tables): Could not fetch rule set generation id\n"));
        assertTrue(broken.error().contains("problem running ip6tables: ip6tables v1.8.9"), broken.error());
        UfwLive loaded = UfwLive.parse(new CommandOutput(0, "enabled no\nipv6 no\nchain4 input 0\nchain4 output 0\nchain4 forward 0\n", ""));
        assertTrue(loaded.active(), "ufw.conf's ENABLED=no does not decide: the kernel has ufw's chains");
        UfwLive half = UfwLive.parse(new CommandOutput(0, "enabled yes\nipv6 no\nchain4 input 0\nchain4 output 1\n", ""));
        assertFalse(half.active(), "any missing chain is inactive, as ufw status says");
        assertNotNull(UfwLive.parse(new CommandOutput(0, "", "")).error());
        UfwLive failed = UfwLive.parse(new CommandOutput(0, "enabled yes\nipv6 no\nlist4 - 1\n", "iptables: oops\n"));
        assertNotNull(failed.error(), "a failed listing is an error, never 'inactive'");
        UfwLive v6missing = UfwLive.parse(new CommandOutput(0, "enabled yes\nipv6 yes\nchain4 input 0\nchain4 output 0\nchain4 forward 0\nchain6 input 1\n", ""));
        assertTrue(v6missing.error().contains("ip6tables"), "ufw raises when the IPv6 chains are missing");
    }

    private static final Pattern LINE = Pattern.compile(
            "^(.*?)\\s+(ALLOW|DENY|REJECT|LIMIT) (IN|OUT|FWD)\\s+(.*?)\\s*(?:# (.*))?$");
    private static final Pattern PORT = Pattern.compile("^(?:\\S+ )?(\\d+(?::\\d+)?(?:,\\d+(?::\\d+)?)*|Anywhere)(?:/(tcp|udp))?");

    /** Each rule as ufw status prints it, in the terms of a tuple: ACTION DIR PORT PROTO COMMENT v4|v6. */
    static void assertSaysWhatUfwPrints(String status, UfwState s, String defaultFile) {
        Matcher d = Pattern.compile("Default: (\\w+) \\(incoming\\), (\\w+) \\(outgoing\\), (\\w+) \\(routed\\)").matcher(status);
        assertTrue(d.find(), status);
        assertEquals(d.group(1), s.defaults().get("incoming"));
        assertEquals(d.group(2), s.defaults().get("outgoing"));
        if (!d.group(3).equals("disabled")) assertEquals(d.group(3), s.defaults().get("routed"));
        boolean ipv6 = defaultFile.contains("IPV6=yes");
        List<String> printed = new ArrayList<>();
        for (String line : status.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) continue;
            String to = m.group(1);
            boolean v6 = to.contains("(v6)") || m.group(4).contains(":");
            Matcher p = PORT.matcher(to.replace(" (v6)", ""));
            assertTrue(p.find(), line);
            String port = p.group(1).equals("Anywhere") ? "any" : p.group(1);
            String proto = p.group(2) == null ? "any" : p.group(2);
            printed.add(m.group(2).toLowerCase() + " " + m.group(3).toLowerCase() + " " + port + " " + proto + " "
                    + (m.group(5) == null ? "" : m.group(5).strip()) + " " + (v6 ? "v6" : "v4"));
        }
        List<String> derived = new ArrayList<>();
        for (UfwRule r : s.rules()) {
            String dir = r.route() ? "fwd" : r.direction();
            String base = r.action() + " " + dir + " " + r.dport() + " " + r.proto() + " " + (r.comment() == null ? "" : r.comment());
            if (r.v4()) derived.add(base + " v4");
            if (r.v6() && ipv6) derived.add(base + " v6");
        }
        assertEquals(sorted(printed), sorted(derived));
    }

    private static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        c.sort(null);
        return c;
    }

    @Test
    void sshPortsFromProcMatchSsAndSshdT() {
        for (String who : List.of("root", "sudo")) {
            SshPorts old = SshPorts.parse(new CommandOutput(0, UfwTuplesTest.resource("sshd/" + who + "-old.txt"), ""));
            SshPorts now = SshPorts.parse(new CommandOutput(0, UfwTuplesTest.resource("sshd/" + who + "-new.txt"), ""));
            assertEquals(old.listening(), now.listening(), who);
            assertEquals(old.configured(), now.configured(), who);
            assertEquals(old.connection(), now.connection(), who);
            assertEquals(old.peer(), now.peer(), who);
            assertEquals(old.local(), now.local(), who);
            assertEquals(old.required(), now.required(), who);
            assertEquals(22, now.connection(), who);
            assertEquals("10.86.0.1", now.peer(), who);
        }
    }

    @Test
    void procSocketsDecodeAsSsPrints() {
        assertEquals("10.86.0.11", ProcSockets.address("0B00560A", false));
        assertEquals("::", ProcSockets.address("00000000000000000000000000000000", true));
        assertEquals("::1", ProcSockets.address("00000000000000000000000001000000", true));
        assertEquals("::ffff:10.86.0.1", ProcSockets.address("0000000000000000FFFF00000100560A", true));
        assertEquals("2001:db8::1", ProcSockets.address("B80D0120000000000000000001000000", true));
        assertEquals("fe80::1:0:0:1", ProcSockets.address("000080FE000000000000010001000000", true));
        // sshd listening on loopback only does not count; a listener of sshd-session or systemd does not either
        String out = "pid 10 sshd\npid 11 sshd-session\npid 12 systemd\n"
                + "listen-sock /proc/net/tcp 0100007F:0016 100\n"
                + "listen-sock /proc/net/tcp6 00000000000000000000000001000000:0016 101\n"
                + "listen-sock /proc/net/tcp 00000000:07E6 102\n"
                + "listen-sock /proc/net/tcp 00000000:08AE 103\n"
                + "listen-sock /proc/net/tcp6 00000000000000000000000000000000:08AE 104\n"
                + "listen-sock /proc/net/tcp 00000000:1F40 105\n"
                + "@@fds\n/proc/10/fd:\nlrwx------ 1 root root 64 Dec  7 15:21 3 -> socket:[100]\n"
                + "lrwx------ 1 root root 64 Dec  7 15:21 4 -> socket:[101]\nlrwx------ 1 root root 64 Dec  7 15:21 5 -> socket:[104]\n"
                + "/proc/11/fd:\nlrwx------ 1 root root 64 Dec  7 15:21 3 -> socket:[103]\n"
                + "/proc/12/fd:\nlrwx------ 1 root root 64 Dec  7 15:21 3 -> socket:[102]\n@@end\n"
                + "config 2022\nenv \n";
        SshPorts p = SshPorts.parse(new CommandOutput(0, out, ""));
        assertEquals(java.util.Set.of(2222), p.listening());
        assertNull(p.connection());
        assertEquals(java.util.Set.of(2222), p.required());
        // socket activation: no sshd listener, the configuration decides
        SshPorts socket = SshPorts.parse(new CommandOutput(0, "pid 12 systemd\nlisten-sock /proc/net/tcp 00000000:07E6 102\n"
                + "@@fds\n/proc/12/fd:\nlrwx------ 1 root root 64 Dec  7 15:21 3 -> socket:[102]\n@@end\nconfig 2022\nenv \n", ""));
        assertEquals(java.util.Set.of(2022), socket.required());
        // under sudo the script's environment has no SSH_CONNECTION; the session's login shell has
        SshPorts sudo = SshPorts.parse(new CommandOutput(0, "session 7\nsession-env SSH_CONNECTION=10.0.0.5 4000 10.0.0.9 2200\nenv \n", ""));
        assertEquals(2200, sudo.connection());
        assertEquals("10.0.0.5", sudo.peer());
        assertEquals("10.0.0.9", sudo.local());
    }

    @Test
    void theFactsRunNoPythonNoSsNoSshdT() {
        for (String s : List.of(UfwLive.FACT.script(), SshPorts.FACT.script())) {
            assertFalse(s.matches("(?s).*\\b(ufw status|ss -|sshd -T|python)\\b.*"), s);
        }
        assertEquals("ufw:status", UfwLive.FACT.key(), "steps that touch ufw invalidate this key");
    }
}
