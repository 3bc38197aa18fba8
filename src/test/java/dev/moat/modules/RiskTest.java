package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.Risk;

/**
 * Plans declare what they risk: the firewall (ufw), or sshd (a write under /etc/ssh by any file
 * module, or a service change of ssh/sshd, which also journals /etc/ssh); the engine guards from that.
 */
class RiskTest {
    static final String DIR = "directory 755 0 0 4096 root root\n";
    static final String FILE = "file 644 0 0 4 root root\nold\n";

    private static <A> Plan plan(Module<A> m, Map<String, Object> args, FakeFacts facts) throws Exception {
        return m.plan(LocalHost.bind(m, args), facts, FakeContext.apply());
    }

    private static FakeFacts file(String path) {
        return new FakeFacts().put("file:" + path, FILE).put("file:" + FileWrite.parentOf(path), DIR);
    }

    @Test
    void writingUnderEtcSshRisksSsh() throws Exception {
        String conf = "/etc/ssh/sshd_config.d/99.conf";
        Plan copy = plan(new Copy(), Map.of("dest", conf, "content", "Port 2222\n"), file(conf));
        assertEquals(Set.of(Risk.SSH), copy.risks());
        assertTrue(copy.touches().contains(Risk.SSHD_PORTS), "where sshd listens goes stale");
        assertEquals(Set.of(Risk.SSH), plan(new LineInFile(), Map.of("path", "/etc/ssh/sshd_config", "line", "X11Forwarding no"),
                file("/etc/ssh/sshd_config")).risks());
        assertEquals(Set.of(Risk.SSH), plan(new File(), Map.of("path", conf, "state", "absent"), file(conf)).risks());
        assertEquals(Set.of(Risk.SSH), plan(new File(), Map.of("path", conf, "mode", "0600"), file(conf)).risks(), "a mode change too");
    }

    @Test
    void writingElsewhereRisksNothing() throws Exception {
        Plan p = plan(new Copy(), Map.of("dest", "/etc/sshfoo", "content", "x\n"), file("/etc/sshfoo"));
        assertTrue(p.changes());
        assertEquals(Set.of(), p.risks());
        assertFalse(p.touches().contains(Risk.SSHD_PORTS));
        assertEquals(Set.of(), plan(new Copy(), Map.of("dest", "/etc/ssh/x", "content", "old\n"), file("/etc/ssh/x")).risks(),
                "converged: nothing to guard");
    }

    @Test
    void reloadingSshRisksSshAndJournalsItsConfigurationFirst() throws Exception {
        Plan p = plan(new Service(), Map.of("name", "ssh", "state", "reloaded"),
                new FakeFacts().put("service:ssh", ServiceTest.SYSTEMD_UP));
        assertEquals(Set.of(Risk.SSH), p.risks());
        assertEquals(List.of(new Undo.Reload("sshd"), new Undo.RestorePath("/etc/ssh"), new Undo.Irreversible("reload of service ssh")),
                p.undo());
        Plan nginx = plan(new Service(), Map.of("name", "nginx", "state", "reloaded"),
                new FakeFacts().put("service:nginx", ServiceTest.SYSTEMD_UP));
        assertEquals(Set.of(), nginx.risks());
        assertEquals(List.of(new Undo.Irreversible("reload of service nginx")), nginx.undo());
    }

    @Test
    void ufwRisksTheFirewall() throws Exception {
        Plan p = plan(new Ufw(), Map.of("rule", "allow", "port", 80, "proto", "tcp"), UfwTest.facts(UfwTest.INACTIVE, UfwTest.DEFAULTS_DENY,
                UfwTest.tuples(), UfwTest.tuples(), UfwTest.SSHD_22));
        assertTrue(p.changes());
        assertEquals(Set.of(Risk.FIREWALL), p.risks());
    }
}
