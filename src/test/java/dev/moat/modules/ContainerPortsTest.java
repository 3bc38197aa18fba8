package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.journal.ContainerControl;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

/** The module on fact fixtures: a `docker run -p 8000:8000` container in, the plan (check mode's change) out. */
class ContainerPortsTest {
    final ContainerPorts module = new ContainerPorts();
    static final String ID = "4f8e2c1d9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d";
    static final String IMAGE = "sha256:9d5b1f2c3a4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c";

    FakeFacts facts(String inspect, String startFiles) {
        return new FakeFacts().put("compose:containers", "[" + inspect + "]")
                .put("docker:host", "docker yes\ncurl yes\napi 1.51\ncontainer\t" + ID + "\t4096\t" + IMAGE + "\n")
                .put("docker:start-files", startFiles);
    }

    Plan plan(Map<String, Object> raw, FakeFacts f) throws Exception {
        ContainerPorts.RunArgs a = module.bind(Args.check(module.spec(), raw));
        return module.plan(a, f, FakeContext.checkMode());
    }

    static String inspect() throws Exception {
        return Files.readString(Path.of("src/test/resources/docker/vllm-run.json"));
    }

    @Test
    void checkModeReportsTheContainerAsAChangeWithItsPortsBeforeAndAfter() throws Exception {
        Plan p = plan(Map.of(), facts(inspect(), ""));
        assertTrue(p.changes(), "moat check exits 2 on it");
        assertEquals(List.of(new Diff("container vllm (before)", "container vllm (after)",
                "0.0.0.0:8000->8000/tcp\n0.0.0.0:8000->8000/tcp\n[::]:8000->8000/tcp", "127.0.0.1:8000->8000/tcp")), p.diffs());
        assertEquals(List.of("save the configuration of vllm for rollback", "recreate vllm with its ports on 127.0.0.1"),
                p.steps().stream().map(Step::describe).toList());
        assertEquals(List.of(new Undo.RecreateContainer("vllm", ID, ContainerControl.saved(ID))), p.undo());
        assertTrue(new String(p.steps().get(1).stdin()).contains("\"PortBindings\":{\"8000/tcp\":[{\"HostIp\":\"127.0.0.1\""));
        assertTrue(new String(p.steps().get(0).stdin()).contains("\"PortBindings\":{\"8000/tcp\":[{\"HostIp\":\"\""));
        assertEquals(List.of("vllm"), p.result().get("recreated"));
    }

    @Test
    void aLoopbackContainerIsConverged() throws Exception {
        String done = inspect().replace("{\"HostIp\": \"\", \"HostPort\": \"8000\"}", "{\"HostIp\": \"127.0.0.1\", \"HostPort\": \"8000\"}")
                .replace("{\"HostIp\": \"0.0.0.0\", \"HostPort\": \"8000\"}, {\"HostIp\": \"::\", \"HostPort\": \"8000\"}",
                        "{\"HostIp\": \"127.0.0.1\", \"HostPort\": \"8000\"}");
        assertTrue(!plan(Map.of(), facts(done, "")).changes());
        assertTrue(!plan(Map.of("ports", List.of(11434)), facts(inspect(), "")).changes(), "out of the ports filter");
    }

    @Test
    void aContainerItCannotRecreateFailsTheTaskInCheckModeToo() throws Exception {
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of(), facts(inspect().replace("\"Privileged\": false", "\"Privileged\": true"), "")));
        assertTrue(e.getMessage().startsWith("container_ports: vllm publishes 0.0.0.0:8000->8000/tcp"), e.getMessage());
    }

    @Test
    void aUnitThatRunsItIsPatchedReloadedAndRestartedWithUndoInOrder() throws Exception {
        String unit = "[Service]\nExecStart=/usr/bin/docker run --name vllm -p 8000:8000 vllm/vllm-openai\n";
        String framed = "@@file\t" + unit.length() + "\t/etc/systemd/system/vllm.service\tvllm.service\n" + unit;
        Plan p = plan(Map.of(), facts(inspect(), framed));
        assertEquals(List.of("publish on 127.0.0.1 in /etc/systemd/system/vllm.service", "systemctl daemon-reload",
                "restart vllm.service so vllm publishes on 127.0.0.1"), p.steps().stream().map(Step::describe).toList());
        assertEquals(List.of(new Undo.Reload("vllm.service", true),
                new Undo.Reload("systemd"), new Undo.RestorePath("/etc/systemd/system/vllm.service")), p.undo(),
                "replayed newest first: the file comes back, then the unit restarts from it");
    }

    @Test
    void bindMustBeOneAddress() {
        assertThrows(ArgException.class, () -> module.bind(Args.check(module.spec(), Map.of("bind", "0.0.0.0"))));
        assertThrows(ArgException.class, () -> module.bind(Args.check(module.spec(), Map.of("bind", "localhost"))));
    }

    @Test
    void registered() {
        assertTrue(Modules.builtin().get("container_ports") instanceof ContainerPorts);
    }
}
