package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.moat.facts.FileFact;
import dev.moat.module.FactOutput;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/**
 * The ufw module for real, in a sandbox of its own namespaces ({@link UfwSandbox}): plans are read
 * from the sandbox, their steps run there, and the reruns must be empty. Skipped where the machine
 * cannot host the sandbox (not root, no ufw).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UfwSandboxTest {
    static UfwSandbox box;
    static String machineRules;
    final Ufw ufw = new Ufw();

    static final List<Map<String, Object>> BASELINE = List.of(
            Map.of("rule", "limit", "port", UfwSandbox.SSH_PORT, "proto", "tcp", "comment", "ssh"),
            Map.of("rule", "allow", "port", 80, "proto", "tcp"),
            Map.of("rule", "allow", "port", "https", "proto", "tcp"));
    static final Map<String, Object> WHOLE = Map.of("state", "enabled", "default", "deny", "rules", BASELINE, "prune", true);

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(UfwSandbox.available(), "needs root, unshare, nsenter, ufw and sshd");
        machineRules = machineState();
        box = UfwSandbox.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (box == null) return;
        box.close();
        assertEquals(machineRules, machineState(), "this machine's own ufw files are untouched");
    }

    static String machineState() throws Exception {
        return FileFact.sha256(Files.readAllBytes(Path.of("/etc/ufw/user.rules"))) + FileFact.sha256(Files.readAllBytes(Path.of("/etc/ufw/ufw.conf")))
                + FileFact.sha256(Files.readAllBytes(Path.of("/etc/default/ufw")));
    }

    Plan plan(Map<String, Object> raw) throws Exception {
        Ufw.UfwArgs a = LocalHost.bind(ufw, raw);
        return ufw.plan(a, box.facts(ufw, a), FakeContext.apply());
    }

    Plan converge(Map<String, Object> raw) throws Exception {
        Plan first = plan(raw);
        FactOutput failed = box.execute(first);
        if (failed != null) throw new AssertionError("step failed rc=" + failed.rc() + ": " + failed.errText() + "\nplan: " + first.steps());
        Plan second = plan(raw);
        assertFalse(second.changes(), () -> "not converged: " + second.steps());
        return first;
    }

    /** Journals what {@code p}'s undo needs, as a run would, and runs it; the action returned restores it, newest first. */
    static Runnable journaled(Plan p, String runId) {
        dev.moat.journal.Journal j = new dev.moat.journal.Journal("/run/moat-journal");
        box.text(j.open(runId));
        for (int i = 0; i < p.undo().size(); i++) box.text(j.snapshot(runId, i, p.undo().get(i)));
        assertNull(box.execute(p));
        return () -> {
            for (int i = p.undo().size() - 1; i >= 0; i--) box.text(j.restore(runId, i, p.undo().get(i)));
        };
    }

    @Test
    @Order(1)
    void refusesABaselineThatForgetsTheRealSshPort() throws Exception {
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of("state", "enabled", "default", "deny",
                "rules", List.of(Map.of("rule", "allow", "port", 22, "proto", "tcp")))));
        assertTrue(e.getMessage().contains("SSH port 2222 would be blocked (sshd listens on 2222)"), e.getMessage());
        assertTrue(box.text("ufw status").startsWith("Status: inactive"));
    }

    @Test
    @Order(2)
    void enablesTheBaselineAndConverges() throws Exception {
        Plan p = converge(WHOLE);
        assertTrue(p.changes());
        assertEquals(List.of(UfwSandbox.SSH_PORT), p.result().get("sshd_ports"));
        String status = box.text("ufw status verbose");
        assertTrue(status.startsWith("Status: active"), status);
        assertTrue(status.contains("Default: deny (incoming)"), status);
        assertTrue(status.contains("2222/tcp                   LIMIT IN    Anywhere                   # ssh"), status);
        assertTrue(status.contains("443/tcp (v6)"), status);
        assertTrue(box.text("iptables -S ufw-user-input").contains("--dport 443 -j ACCEPT"));
    }

    @Test
    @Order(3)
    void pruneDeletesARuleAddedByHand() throws Exception {
        box.text("ufw allow 8000/tcp && ufw allow from 10.0.0.0/8 to any port 11434 proto tcp");
        Plan p = converge(WHOLE);
        assertEquals(List.of("set -e", "ufw --force delete allow in proto tcp from any to any port 8000",
                "ufw --force delete allow in proto tcp from 10.0.0.0/8 to any port 11434"), List.of(p.steps().get(0).script().split("\n")));
        assertTrue(p.diffs().get(0).before().contains("allow in proto tcp from any to any port 8000\n"));
        assertFalse(p.diffs().get(0).after().contains("8000"));
        assertFalse(box.text("ufw status").contains("8000"));
        assertFalse(box.text("ufw status").contains("11434"));
    }

    @Test
    @Order(4)
    void refusesToPruneTheSshRuleOfTheActiveFirewall() throws Exception {
        List<Object> noSsh = new ArrayList<>(BASELINE.subList(1, 3));
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of("rules", noSsh, "prune", true)));
        assertTrue(e.getMessage().contains("port 2222"), e.getMessage());
        assertThrows(TaskException.class, () -> plan(Map.of("rule", "limit", "port", 2222, "proto", "tcp", "delete", true)));
        assertTrue(box.text("ufw status").contains("2222/tcp"));
    }

    @Test
    @Order(5)
    void commentsDefaultsAndDeleteForReal() throws Exception {
        converge(Map.of("rule", "allow", "port", 80, "proto", "tcp", "comment", "web"));
        assertTrue(box.text("grep 'tcp 80 0.0.0.0/0' /etc/ufw/user.rules").contains("comment=776562"));
        converge(Map.of("default", "reject", "direction", "outgoing"));
        assertTrue(box.text("ufw status verbose").contains("reject (outgoing)"));
        converge(Map.of("default", "allow", "direction", "outgoing"));
        converge(Map.of("rule", "allow", "port", "8000:8010", "proto", "udp", "from_ip", "192.168.0.0/16"));
        Plan del = converge(Map.of("rule", "allow", "port", "8000-8010", "proto", "udp", "from_ip", "192.168.1.1/16", "delete", true));
        assertTrue(del.changes());
        assertFalse(box.text("ufw status").contains("8000:8010"));
    }

    @Test
    @Order(6)
    void disablesAndReloads() throws Exception {
        assertTrue(plan(Map.of("state", "reloaded")).changes());
        assertNull(box.execute(plan(Map.of("state", "reloaded"))));
        converge(Map.of("state", "disabled"));
        assertTrue(box.text("ufw status").startsWith("Status: inactive"));
        assertFalse(plan(Map.of("state", "reloaded")).changes(), "an inactive firewall has nothing to reload");
    }

    @Test
    @Order(7)
    void theJournalPutsItAllBack() throws Exception {
        converge(Map.of("state", "enabled"));
        String before = box.text("ufw status verbose; sha256sum /etc/ufw/user.rules /etc/ufw/user6.rules /etc/ufw/ufw.conf /etc/default/ufw");
        Map<String, Object> change = Map.of("state", "enabled", "default", "reject", "rules",
                List.of(Map.of("rule", "allow", "port", 2222, "proto", "tcp"), Map.of("rule", "allow", "port", 9000, "proto", "udp")), "prune", true);
        Runnable restore = journaled(plan(change), "r1");
        assertTrue(box.text("ufw status verbose").contains("reject (incoming)"));
        restore.run();
        assertEquals(before, box.text("ufw status verbose; sha256sum /etc/ufw/user.rules /etc/ufw/user6.rules /etc/ufw/ufw.conf /etc/default/ufw"));
        assertFalse(plan(Map.of("state", "enabled", "default", "deny", "rules", BASELINE, "prune", true)).changes());
    }

    /** The ufw_docker block, loaded by real ufw: a guard in DOCKER-USER that survives reloads, and a journal that takes it out exactly. */
    @Test
    @Order(8)
    void theDockerUserGuardLoadsReloadsAndRollsBackExactly() throws Exception {
        converge(WHOLE);
        UfwDocker mod = new UfwDocker();
        UfwDocker.DockerArgs present = LocalHost.bind(mod, Map.of());
        // Docker's own chain, as dockerd leaves it: a lone RETURN and FORWARD's jump to it.
        box.text("iptables -N DOCKER-USER && iptables -A DOCKER-USER -j RETURN && iptables -I FORWARD -j DOCKER-USER");
        String chainsBefore = box.text("iptables -S DOCKER-USER; ip6tables -S DOCKER-USER 2>&1 || true");
        String filesBefore = box.text("sha256sum /etc/ufw/after.rules /etc/ufw/after6.rules");

        Plan p = mod.plan(present, box.facts(mod, present), FakeContext.apply());
        assertTrue(p.risks().contains(dev.moat.module.Risk.FIREWALL));
        Runnable restore = journaled(p, "r2");
        String guard = "-A DOCKER-USER -j ufw-user-forward\n-A DOCKER-USER -o docker0 -m conntrack --ctstate NEW -j DROP";
        assertTrue(box.text("iptables -S DOCKER-USER").contains(guard), box.text("iptables -S DOCKER-USER"));
        assertTrue(box.text("ip6tables -S DOCKER-USER").contains("-A DOCKER-USER -j ufw6-user-forward"));
        assertFalse(mod.plan(present, box.facts(mod, present), FakeContext.apply()).changes(), "a rerun changes nothing");

        // A routed rule for a container's port lands in the chain the guard asks, and both survive a reload unchanged.
        box.text("ufw route allow proto tcp to any port 8000");
        String loaded = box.text("iptables -S DOCKER-USER; iptables -S ufw-user-forward");
        assertTrue(loaded.contains("--dport 8000 -j ACCEPT"), loaded);
        box.text("ufw reload");
        assertEquals(loaded, box.text("iptables -S DOCKER-USER; iptables -S ufw-user-forward"));
        box.text("ufw route delete allow proto tcp to any port 8000");

        restore.run();
        assertEquals(filesBefore, box.text("sha256sum /etc/ufw/after.rules /etc/ufw/after6.rules"));
        assertEquals(chainsBefore, box.text("iptables -S DOCKER-USER; ip6tables -S DOCKER-USER 2>&1 || true"));
        box.text("iptables -D FORWARD -j DOCKER-USER && iptables -F DOCKER-USER && iptables -X DOCKER-USER");
    }

    @Test
    @Order(9)
    void withoutDockerTheRestoreDeletesTheChainTheBlockCreated() throws Exception {
        converge(WHOLE);
        UfwDocker mod = new UfwDocker();
        UfwDocker.DockerArgs present = LocalHost.bind(mod, Map.of());
        Runnable restore = journaled(mod.plan(present, box.facts(mod, present), FakeContext.apply()), "r3");
        assertTrue(box.text("iptables -S DOCKER-USER").contains("-j ufw-user-forward"));
        restore.run();
        assertEquals("gone", box.text("iptables -S DOCKER-USER >/dev/null 2>&1 && echo there || echo gone").trim());
        assertEquals("gone", box.text("ip6tables -S DOCKER-USER >/dev/null 2>&1 && echo there || echo gone").trim());
    }
}
