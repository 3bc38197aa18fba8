package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

class UfwTest {
    final Ufw ufw = new Ufw();

    static final String INACTIVE = "Status: inactive\n";
    static final String SSHD_22 = "listen LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=7,fd=3))\n"
            + "listen LISTEN 0 128 [::]:22 [::]:* users:((\"sshd\",pid=7,fd=4))\nconfig 22\nenv \n";
    static final String SSHD_2222 = SSHD_22.replace(":22 ", ":2222 ").replace("config 22", "config 2222");

    static final List<Map<String, Object>> BASELINE = List.of(
            Map.of("rule", "allow", "port", 22, "proto", "tcp", "comment", "ssh"),
            Map.of("rule", "allow", "port", "http", "proto", "tcp"),
            Map.of("rule", "allow", "port", 443, "proto", "tcp"));

    static String resource(String name) {
        try (InputStream in = UfwTest.class.getResourceAsStream("/ufw/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String file(String content) {
        return "file 640 0 0 " + content.length() + " root root\n" + content;
    }

    static String tuples(String... lines) {
        StringBuilder s = new StringBuilder("*filter\n### RULES ###\n");
        for (String l : lines) s.append("### tuple ### ").append(l).append('\n');
        return s.append("### END RULES ###\nCOMMIT\n").toString();
    }

    static FakeFacts facts(String status, String defaultFile, String v4, String v6, String sshd) {
        return new FakeFacts().put("ufw:status", status).put("file:/etc/default/ufw", file(defaultFile))
                .put("file:/etc/ufw/user.rules", file(v4)).put("file:/etc/ufw/user6.rules", file(v6))
                .put("sshd:ports", sshd).put("file:/etc/services", file("ssh 22/tcp\nhttp 80/tcp www\nhttps 443/tcp\nhttps 443/udp\n"));
    }

    static final String DEFAULTS_DENY = "IPV6=yes\nDEFAULT_INPUT_POLICY=\"DROP\"\nDEFAULT_OUTPUT_POLICY=\"ACCEPT\"\nDEFAULT_FORWARD_POLICY=\"DROP\"\n";
    static final String DEFAULTS_ALLOW = DEFAULTS_DENY.replace("INPUT_POLICY=\"DROP\"", "INPUT_POLICY=\"ACCEPT\"");

    Plan plan(Map<String, Object> args, FakeFacts f) throws Exception {
        return ufw.plan(LocalHost.bind(ufw, args), f, FakeContext.apply());
    }

    static List<String> commands(Plan p) {
        assertEquals(1, p.steps().size(), "one step for all ufw commands");
        return List.of(p.steps().get(0).script().split("\n"));
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("state", assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("prune", true))).arg());
        assertEquals("prune", assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("rule", "allow", "port", 22, "prune", true))).arg());
        assertEquals("proto", assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("rule", "allow", "port", "8000:8010"))).arg());
        assertEquals("from_ip", assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("rule", "allow", "from", "evil.example"))).arg());
        assertEquals("port", assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("rule", "allow", "port", 70000))).arg());
        assertEquals("port", assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("state", "enabled", "port", 22))).arg());
        assertEquals("direction", assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("rule", "allow", "direction", "routed"))).arg());
        assertEquals("state", assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("state", "reset"))).arg());
        ArgException item = assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("rules", List.of(Map.of("rule", "allow", "port", 22), Map.of("port", 80)))));
        assertEquals("rules", item.arg());
        assertEquals("rules[1]: 'rule' is required (allow, deny, limit or reject)", item.getMessage());
        assertTrue(assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("rules", List.of(Map.of("rule", "allow", "bogus", 1)))))
                .getMessage().startsWith("rules[0]: unknown argument 'bogus'"));
        assertEquals("rules", assertThrows(ArgException.class, () -> LocalHost.bind(ufw, Map.of("rules", List.of("allow 22")))).arg());
    }

    @Test
    void baselineOnAFreshHostIsOneStepEnablingLast() throws Exception {
        Plan p = plan(Map.of("state", "enabled", "default", "deny", "rules", BASELINE, "prune", true),
                facts(INACTIVE, DEFAULTS_ALLOW, resource("user.rules.pristine"), resource("user6.rules.pristine"), SSHD_22));
        assertEquals(List.of("set -e",
                "ufw allow in proto tcp from any to any port 22 comment ssh",
                "ufw allow in proto tcp from any to any port 80",
                "ufw allow in proto tcp from any to any port 443",
                "ufw default deny incoming",
                "ufw --force enable"), commands(p));
        assertEquals(1, p.diffs().size());
        assertEquals("status: inactive\ndefault incoming: allow\ndefault outgoing: allow\ndefault routed: deny\n", p.diffs().get(0).before());
        assertEquals("status: active\ndefault incoming: deny\ndefault outgoing: allow\ndefault routed: deny\n"
                + "allow in proto tcp from any to any port 22  # ssh\n"
                + "allow in proto tcp from any to any port 80\n"
                + "allow in proto tcp from any to any port 443\n", p.diffs().get(0).after());
        assertEquals(List.of(new Undo.RestoreFirewall(), new Undo.RestorePath("/etc/default/ufw")), p.undo());
        assertEquals(Set.of("ufw:status", "file:/etc/ufw", "file:/etc/default/ufw"), p.touches());
        assertEquals(List.of(22), p.result().get("sshd_ports"));
    }

    @Test
    void convergedIsAnEmptyPlan() throws Exception {
        String v4 = tuples("allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in comment=737368", "allow tcp 80 0.0.0.0/0 any 0.0.0.0/0 in",
                "allow tcp 443 0.0.0.0/0 any 0.0.0.0/0 in");
        String v6 = tuples("allow tcp 22 ::/0 any ::/0 in comment=737368", "allow tcp 80 ::/0 any ::/0 in", "allow tcp 443 ::/0 any ::/0 in");
        FakeFacts f = facts(resource("status-verbose.txt"), DEFAULTS_DENY, v4, v6, SSHD_22);
        Plan p = plan(Map.of("state", "enabled", "default", "deny", "direction", "incoming", "rules", BASELINE, "prune", true), f);
        assertFalse(p.changes(), () -> p.steps().toString());
        assertTrue(p.diffs().isEmpty() && p.undo().isEmpty());
        // a single inline rule, spelled differently, is there too
        assertFalse(plan(Map.of("rule", "allow", "to_port", "443", "protocol", "tcp", "from", "0.0.0.0/0"), f).changes());
        // reloaded always reloads an active firewall
        Plan reload = plan(Map.of("state", "reloaded"), f);
        assertEquals(List.of("set -e", "ufw reload"), commands(reload));
        assertTrue(reload.diffs().isEmpty(), "a reload changes nothing to show");
        assertEquals(List.of(new Undo.RestoreFirewall()), reload.undo());
    }

    @Test
    void pruneDeletesUndeclaredRulesButNotRoutedOnesAndShowsThem() throws Exception {
        FakeFacts f = facts(resource("status-verbose.txt"), DEFAULTS_DENY, resource("user.rules"), resource("user6.rules"), SSHD_22);
        Plan p = plan(Map.of("rules", BASELINE, "prune", true), f);
        List<String> c = commands(p);
        assertEquals("ufw allow in proto tcp from any to any port 22 comment ssh", c.get(1), "a new comment re-adds (ufw updates in place)");
        assertTrue(c.contains("ufw --force delete limit in proto tcp from any to any port 2222"));
        assertTrue(c.contains("ufw --force delete allow in proto tcp from any to any app OpenSSH"));
        assertTrue(c.contains("ufw --force delete allow in on eth0 log proto udp from any to any port 53"));
        assertTrue(c.contains("ufw --force delete allow in proto tcp from 2001:db8::1 to any port 22"));
        assertFalse(c.stream().anyMatch(s -> s.contains("route")), "routed rules are left alone");
        assertFalse(c.stream().anyMatch(s -> s.contains("port 80 ") || s.endsWith("port 80") || s.endsWith("port 443")));
        String after = p.diffs().get(0).after();
        assertFalse(after.contains("2222"));
        assertTrue(after.contains("route allow in on eth0 out on eth1"));
        assertTrue(p.diffs().get(0).before().contains("limit in proto tcp from any to any port 2222\n"));
    }

    @Test
    void deleteRemovesOnlyWhatExists() throws Exception {
        FakeFacts f = facts(resource("status-verbose.txt"), DEFAULTS_DENY, resource("user.rules"), resource("user6.rules"), SSHD_22);
        assertEquals(List.of("set -e", "ufw --force delete deny out from any to any port 25"),
                commands(plan(Map.of("rule", "deny", "direction", "out", "port", 25, "delete", true), f)));
        assertFalse(plan(Map.of("rule", "deny", "direction", "out", "port", 26, "delete", true), f).changes());
    }

    @Test
    void refusesToEnableWithSshBlocked() throws Exception {
        FakeFacts f = facts(INACTIVE, DEFAULTS_ALLOW, resource("user.rules.pristine"), resource("user6.rules.pristine"), SSHD_2222);
        TaskException e = assertThrows(TaskException.class,
                () -> plan(Map.of("state", "enabled", "default", "deny", "rules", BASELINE, "prune", true), f));
        assertEquals("refusing to change the firewall: with it active and incoming deny, SSH port 2222 would be blocked"
                + " (sshd listens on 2222). Allow it first, e.g. add {rule: allow, port: 2222, proto: tcp} to this task's rules"
                + " (harden-inference.yml: set ssh_port to sshd's real port)", e.getMessage());
        // reject is as bad as deny; allow by default is fine; so is a disabled firewall
        assertThrows(TaskException.class, () -> plan(Map.of("state", "enabled", "default", "reject", "rules", BASELINE), f));
        assertTrue(plan(Map.of("state", "enabled", "rules", BASELINE), f).changes());
        assertTrue(plan(Map.of("default", "deny", "rules", BASELINE), f).changes());
        // the fix: allow the real port
        var fixed = new java.util.ArrayList<Object>(BASELINE);
        fixed.add(Map.of("rule", "limit", "port", 2222, "proto", "tcp"));
        assertTrue(plan(Map.of("state", "enabled", "default", "deny", "rules", fixed, "prune", true), f).changes());
    }

    @Test
    void refusesToPruneOrDeleteTheSshRuleOfAnActiveFirewall() throws Exception {
        String v4 = tuples("allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in");
        String v6 = tuples("allow tcp 22 ::/0 any ::/0 in");
        FakeFacts f = facts(resource("status-verbose.txt"), DEFAULTS_DENY, v4, v6, SSHD_22);
        assertThrows(TaskException.class, () -> plan(Map.of("rules", List.of(Map.of("rule", "allow", "port", 80, "proto", "tcp")), "prune", true), f));
        assertThrows(TaskException.class, () -> plan(Map.of("rule", "allow", "port", 22, "proto", "tcp", "delete", true), f));
        // a deny for the port placed before... (ufw: the first match wins) — an earlier deny blocks
        String denyFirst = tuples("deny tcp 22 0.0.0.0/0 any 0.0.0.0/0 in", "allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in");
        assertThrows(TaskException.class, () -> plan(Map.of("rule", "allow", "port", 80, "proto", "tcp"),
                facts(resource("status-verbose.txt"), DEFAULTS_DENY, denyFirst, "", SSHD_22)));
        // disabling is always safe
        assertEquals(List.of("set -e", "ufw disable", "ufw --force delete allow in proto tcp from any to any port 22"),
                commands(plan(Map.of("state", "disabled", "rules", List.of(), "prune", true), f)));
    }

    @Test
    void aSourceRestrictedSshRuleCountsOnlyWhenItCoversTheController() throws Exception {
        String admin = tuples("allow tcp 22 0.0.0.0/0 any 10.0.0.0/8 in");
        String fromLan = SSHD_22.replace("env ", "env 10.77.0.1 50000 10.77.0.11 22");
        String fromWan = SSHD_22.replace("env ", "env 203.0.113.9 50000 10.77.0.11 22");
        Map<String, Object> args = Map.of("state", "enabled", "rule", "allow", "port", 80, "proto", "tcp");
        assertTrue(plan(args, facts(INACTIVE, DEFAULTS_DENY, admin, "", fromLan)).changes());
        TaskException e = assertThrows(TaskException.class, () -> plan(args, facts(INACTIVE, DEFAULTS_DENY, admin, "", fromWan)));
        assertTrue(e.getMessage().contains("moat is connected through 22 from 203.0.113.9"), e.getMessage());
        // an interface-bound allow never counts (moat cannot tell which interface it comes in on)
        String onEth0 = tuples("allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in_eth0");
        assertThrows(TaskException.class, () -> plan(args, facts(INACTIVE, DEFAULTS_DENY, onEth0, "", SSHD_22)));
    }

    @Test
    void serviceNamesComeFromTheHostsServicesFile() throws Exception {
        FakeFacts f = facts(INACTIVE, DEFAULTS_DENY, "", "", SSHD_22);
        Ufw.UfwArgs a = LocalHost.bind(ufw, Map.of("rule", "allow", "port", "https"));
        assertTrue(ufw.reads(a).stream().anyMatch(x -> x.key().equals("file:/etc/services")));
        assertEquals(List.of("set -e", "ufw allow in from any to any port 443"), commands(ufw.plan(a, f, FakeContext.apply())));
        assertFalse(ufw.reads(LocalHost.bind(ufw, Map.of("rule", "allow", "port", "22"))).stream().anyMatch(x -> x.key().equals("file:/etc/services")));
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of("rule", "allow", "port", "nosuch", "proto", "tcp"), f));
        assertEquals("port 'nosuch' is not a tcp service in the host's /etc/services; give the port number", e.getMessage());
    }

    @Test
    void ufwMissingOrNotRoot() throws Exception {
        FactOutput missing = new FactOutput(127, new byte[0], "sh: 1: ufw: not found\n".getBytes(StandardCharsets.UTF_8));
        FakeFacts f = facts("", DEFAULTS_DENY, "", "", SSHD_22).put("ufw:status", missing)
                .put("file:/etc/ufw/user.rules", "absent\n").put("file:/etc/ufw/user6.rules", "absent\n");
        Map<String, Object> args = Map.of("state", "enabled", "rules", BASELINE);
        assertEquals("ufw is not installed on this host (install the ufw package first)",
                assertThrows(TaskException.class, () -> plan(args, f)).getMessage());
        Plan check = ufw.plan(LocalHost.bind(ufw, args), f, FakeContext.checkMode());
        assertTrue(check.changes(), "in check mode an earlier task may install ufw");
        FactOutput notRoot = new FactOutput(1, "ERROR: You need to be root to run this script\n".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertTrue(assertThrows(TaskException.class, () -> plan(args, f.put("ufw:status", notRoot))).getMessage().endsWith("(the task needs become: true)"));
    }

    @Test
    void stepIsNotSensitiveAndShowsTheCommands() throws Exception {
        Plan p = plan(Map.of("rule", "allow", "port", 8080, "proto", "tcp"), facts(INACTIVE, DEFAULTS_DENY, "", "", SSHD_22));
        Step s = p.steps().get(0);
        assertFalse(s.sensitive());
        assertEquals("ufw: 1 change", s.describe());
    }
}
