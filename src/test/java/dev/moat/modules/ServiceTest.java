package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

class ServiceTest {
    final Service service = new Service();
    static final String SYSTEMD_UP = "manager=systemd\nload=loaded\nactive=active\nenabled=enabled\n";
    static final String SYSTEMD_DOWN = "manager=systemd\nload=loaded\nactive=inactive\nenabled=disabled\n";

    private Plan plan(Map<String, Object> args, String fact) throws Exception {
        Service.ServiceArgs a = LocalHost.bind(service, args);
        return service.plan(a, new FakeFacts().put("service:" + a.name(), fact), FakeContext.apply());
    }

    private static List<String> scripts(Plan p) {
        return p.steps().stream().map(Step::script).toList();
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("state", assertThrows(ArgException.class, () -> LocalHost.bind(service, Map.of("name", "nginx"))).arg());
        assertEquals("state", assertThrows(ArgException.class, () -> LocalHost.bind(service, Map.of("name", "nginx", "state", "running"))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(service, Map.of("name", "a b", "state", "started"))).arg());
    }

    @Test
    void systemd() throws Exception {
        assertFalse(plan(Map.of("name", "nginx", "state", "started", "enabled", true), SYSTEMD_UP).changes());
        Plan p = plan(Map.of("name", "nginx", "state", "started", "enabled", true), SYSTEMD_DOWN);
        assertEquals(List.of("systemctl start nginx", "systemctl enable nginx"), scripts(p));
        assertEquals(List.of(new Undo.RestoreService("nginx", false, false)), p.undo());
        assertEquals(List.of(Diff.of("service nginx", "stopped, disabled at boot\n", "running, enabled at boot\n")), p.diffs());
        Plan r = plan(Map.of("name", "nginx", "state", "reloaded"), SYSTEMD_UP);
        assertEquals(List.of("systemctl reload nginx"), scripts(r));
        assertEquals(List.of(new Undo.Irreversible("reload of service nginx")), r.undo());
        assertEquals(List.of("systemctl start nginx"), scripts(plan(Map.of("name", "nginx", "state", "restarted"), SYSTEMD_DOWN)),
                "restarting a stopped service starts it");
        // A handler rerun after a rollback restarts what runs, and never starts what the rollback stopped.
        Service.ServiceArgs again = LocalHost.bind(service, Map.of("name", "nginx", "state", "restarted"));
        assertFalse(service.plan(again, new FakeFacts().put("service:nginx", SYSTEMD_DOWN), FakeContext.apply().afterRollingBack()).changes());
        assertEquals(List.of("systemctl restart nginx"), scripts(service.plan(again, new FakeFacts().put("service:nginx", SYSTEMD_UP),
                FakeContext.apply().afterRollingBack())));
        assertEquals("service nope not found on this host (systemd has no unit nope)", assertThrows(TaskException.class,
                () -> plan(Map.of("name", "nope", "state", "started"), "manager=systemd\nload=not-found\nactive=inactive\nenabled=\n")).getMessage());
    }

    @Test
    void initScriptsWithoutSystemd() throws Exception {
        String down = "manager=sysv\ninitscript=yes\nstatus=3\nenabled=no\n";
        Plan p = plan(Map.of("name", "ssh", "state", "started", "enabled", "yes"), down);
        assertEquals(List.of("service ssh start", "update-rc.d ssh defaults && update-rc.d ssh enable"), scripts(p));
        assertFalse(plan(Map.of("name", "ssh", "state", "stopped"), down).changes());
    }

    @Test
    void nginxControlsItselfWithoutAnInitScript() throws Exception {
        String up = "manager=sysv\npid=alive\nbinary=yes\n";
        String down = "manager=sysv\nbinary=yes\n";
        assertEquals(List.of("nginx -t && nginx -s reload"), scripts(plan(Map.of("name", "nginx", "state", "reloaded"), up)));
        assertEquals(List.of("nginx"), scripts(plan(Map.of("name", "nginx", "state", "started"), down)));
        assertEquals(List.of("nginx -s quit"), scripts(plan(Map.of("name", "nginx", "state", "stopped"), up)));
        assertFalse(plan(Map.of("name", "nginx", "state", "started"), up).changes());
        assertThrows(TaskException.class, () -> plan(Map.of("name", "nginx", "enabled", true), up));
    }

    @Test
    void unknownRunningStateActs() throws Exception {
        Plan p = plan(Map.of("name", "ssh", "state", "started"), "manager=sysv\ninitscript=yes\nstatus=4\nenabled=yes\n");
        assertEquals(List.of("service ssh start"), scripts(p));
    }

    @Test
    void factScriptRunsHere() throws Exception {
        Service.ServiceArgs a = LocalHost.bind(service, Map.of("name", "moat-no-such", "state", "started"));
        assertThrows(TaskException.class, () -> LocalHost.plan(service, a, FakeContext.apply()));
        assertTrue(LocalHost.plan(service, a, FakeContext.checkMode()).changes(), "check mode: an earlier task may install it");
    }
}
