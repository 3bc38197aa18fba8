package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Journal;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Risk;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

class SystemdTest {
    final Systemd systemd = new Systemd();

    static String unit(String load, String active, String enabled, boolean stale) {
        return "@@systemd yes\nId=vllm.service\nLoadState=" + load + "\nActiveState=" + active + "\nSubState=x\nNeedDaemonReload="
                + (stale ? "yes" : "no") + "\n@@enabled " + enabled + "\n";
    }

    static final String UP = unit("loaded", "active", "enabled", false);
    static final String DOWN = unit("loaded", "inactive", "disabled", false);

    private Plan plan(Map<String, Object> args, String fact) throws Exception {
        Systemd.UnitArgs a = LocalHost.bind(systemd, args);
        String key = "host:systemd:" + (a.name() == null ? "" : a.name());
        return systemd.plan(a, new FakeFacts().put(key, fact), FakeContext.apply());
    }

    @Test
    void aHandlerRerunAfterARollbackStartsNothing() throws Exception {
        Systemd.UnitArgs a = LocalHost.bind(systemd, Map.of("name", "vllm", "state", "reloaded"));
        assertFalse(systemd.plan(a, new FakeFacts().put("host:systemd:vllm", DOWN), FakeContext.apply().afterRollingBack()).changes());
        assertTrue(systemd.plan(a, new FakeFacts().put("host:systemd:vllm", UP), FakeContext.apply().afterRollingBack()).changes());
        assertTrue(systemd.plan(a, new FakeFacts().put("host:systemd:vllm", DOWN), FakeContext.apply()).changes(), "Ansible starts it");
    }

    private static List<String> scripts(Plan p) {
        return p.steps().stream().map(Step::script).toList();
    }

    @Test
    void argumentsAreAnsibles() {
        ArgException scope = assertThrows(ArgException.class, () -> LocalHost.bind(systemd, Map.of("name", "x", "state", "started", "scope", "user")));
        assertTrue(scope.getMessage().contains("scope: user is not supported"), scope.getMessage());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(systemd, Map.of("enabled", true))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(systemd, Map.of("name", "-x", "enabled", true))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(systemd, Map.of("name", "ng*", "enabled", true))).arg());
        assertDoesNotThrow(() -> LocalHost.bind(systemd, Map.of("unit", "a@b.service", "daemon-reload", true)));
        assertEquals("systemd_service", Systemd.service().name());
    }

    /**
     * Ansible's required_one_of is met by daemon_reload's default (false): with only a name it answers
     * the unit's status, changed false (ansible 2.14 -m systemd -a name=ssh on a host without systemd:
     * {"changed": false, "name": "ssh", "status": {}}; geerlingguy.docker reads FragmentPath so).
     */
    @Test
    void aNameAloneIsAReadOnlyStatusQuery() throws Exception {
        Plan p = plan(Map.of("name", "vllm"), DOWN);
        assertFalse(p.changes());
        assertEquals(List.of(), p.undo());
        assertEquals("vllm", p.result().get("name"));
        assertEquals("inactive", ((Map<?, ?>) p.result().get("status")).get("ActiveState"));
        Plan none = plan(Map.of("name", "ssh"), "@@systemd no\n");
        assertFalse(none.changes(), "no systemd: still a query, as Ansible's");
        assertEquals(Map.of(), none.result().get("status"));
        assertTrue(none.result().containsKey("name"));
    }

    @Test
    void startsAndEnablesAStoppedUnitAndRecordsItsState() throws Exception {
        assertFalse(plan(Map.of("name", "vllm", "state", "started", "enabled", true), UP).changes());
        Plan p = plan(Map.of("name", "vllm", "state", "started", "enabled", true), DOWN);
        assertEquals(List.of("systemctl enable -- vllm", "systemctl start -- vllm"), scripts(p));
        assertEquals(List.of(new Undo.RestoreUnit("vllm", false, false, false)), p.undo());
        assertEquals(List.of(Diff.of("unit vllm", "inactive, disabled\n", "active, enabled\n")), p.diffs());
        assertEquals(true, p.result().get("enabled"));
        assertEquals("started", p.result().get("state"));
        assertEquals("inactive", ((Map<?, ?>) p.result().get("status")).get("ActiveState"));
    }

    @Test
    void restartAndReloadAlwaysActAndStartAStoppedUnit() throws Exception {
        Plan r = plan(Map.of("name", "vllm", "state", "restarted", "no_block", true), UP);
        assertEquals(List.of("systemctl --no-block restart -- vllm"), scripts(r));
        assertEquals(List.of(new Undo.Irreversible("restart of unit vllm")), r.undo());
        assertEquals(List.of("systemctl start -- vllm"), scripts(plan(Map.of("name", "vllm", "state", "reloaded"), DOWN)));
        assertEquals(List.of("systemctl stop -- vllm"), scripts(plan(Map.of("name", "vllm", "state", "stopped"), unit("loaded", "deactivating", "enabled", false))));
    }

    @Test
    void masksBeforeEnablementAndState() throws Exception {
        Plan p = plan(Map.of("name", "vllm", "masked", true, "state", "stopped"), UP);
        assertEquals(List.of("systemctl mask -- vllm", "systemctl stop -- vllm"), scripts(p));
        assertEquals(List.of(new Undo.RestoreUnit("vllm", true, true, false)), p.undo());
        assertFalse(plan(Map.of("name", "vllm", "masked", true), unit("masked", "inactive", "masked", false)).changes());
        Plan un = plan(Map.of("name", "vllm", "masked", false, "force", true), unit("masked", "inactive", "masked", false));
        assertEquals(List.of("systemctl unmask --force -- vllm"), scripts(un));
        assertEquals(List.of(new Undo.RestoreUnit("vllm", false, false, true)), un.undo());
    }

    @Test
    void daemonReloadOnlyWhenAUnitNeedsIt() throws Exception {
        assertFalse(plan(Map.of("daemon_reload", true), "@@systemd yes\n@@stale 0\n").changes());
        Plan all = plan(Map.of("daemon_reload", true), "@@systemd yes\n@@stale 2\n");
        assertEquals(List.of("systemctl daemon-reload"), scripts(all));
        assertEquals(List.of(new Undo.Reload("systemd")), all.undo());
        Plan stale = plan(Map.of("name", "vllm", "daemon_reload", true, "state", "started"), unit("loaded", "active", "enabled", true));
        assertEquals(List.of("systemctl daemon-reload"), scripts(stale));
        // A unit file copied just before: not loaded yet, found after the reload.
        Plan fresh = plan(Map.of("name", "vllm", "daemon_reload", true, "state", "started", "enabled", true),
                unit("not-found", "inactive", "", false));
        assertEquals(List.of("systemctl daemon-reload", "systemctl enable -- vllm", "systemctl start -- vllm"), scripts(fresh));
    }

    @Test
    void refusesWhatItCannotDo() {
        TaskException missing = assertThrows(TaskException.class, () -> plan(Map.of("name", "nope", "state", "started"), unit("not-found", "inactive", "", false)));
        assertEquals("Could not find the requested service nope: host", missing.getMessage());
        TaskException noSystemd = assertThrows(TaskException.class, () -> plan(Map.of("name", "vllm", "state", "started"), "@@systemd no\n"));
        assertTrue(noSystemd.getMessage().contains("systemd is not the init system"));
    }

    @Test
    void aStaticUnitCannotBeDisabledAndIsLeftAsIs() throws Exception {
        assertFalse(plan(Map.of("name", "vllm", "enabled", false), unit("loaded", "active", "static", false)).changes());
        Plan stop = plan(Map.of("name", "vllm", "state", "stopped"), unit("loaded", "active", "static", false));
        assertEquals(List.of(new Undo.RestoreUnit("vllm", true, null, false)), stop.undo());
    }

    @Test
    void sshIsGuarded() throws Exception {
        Plan p = plan(Map.of("name", "ssh.service", "state", "restarted"), UP.replace("vllm", "ssh"));
        assertTrue(p.risks().contains(Risk.SSH));
        assertTrue(p.undo().contains(new Undo.RestorePath(Risk.SSH_CONFIG)));
    }

    @Test
    void factParsesAndRestoreScriptsAreShell() throws Exception {
        dev.moat.modules.system.UnitState s = new dev.moat.modules.system.UnitFact("vllm")
                .parse(new dev.moat.module.FactOutput(0, UP.getBytes(), new byte[0]));
        assertTrue(s.systemd() && s.found() && s.running() && s.enabled() && !s.masked());
        // No systemd here: the fact says so instead of failing.
        assertFalse(new dev.moat.modules.system.UnitFact("vllm").parse(LocalHost.sh(new dev.moat.modules.system.UnitFact("vllm").script(), null)).systemd()
                || new java.io.File("/run/systemd/system").isDirectory());
        Journal j = new Journal("/tmp/j");
        String masked = j.restore("r", 1, new Undo.RestoreUnit("vllm", false, null, true));
        assertTrue(masked.contains("systemctl stop -- vllm\nsystemctl mask -q -- vllm\n"), masked);
        String enabled = j.restore("r", 1, new Undo.RestoreUnit("vllm", true, true, false));
        assertTrue(enabled.contains("systemctl enable -q -- vllm\nsystemctl start -- vllm\n"), enabled);
        assertEquals(0, LocalHost.sh("sh -n -c " + dev.moat.transport.Sh.q(enabled), null).rc());
    }
}
