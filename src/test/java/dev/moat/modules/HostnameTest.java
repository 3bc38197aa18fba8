package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Step;

class HostnameTest {
    final Hostname hostname = new Hostname();

    private Plan plan(String name, String file, String live) throws Exception {
        Hostname.HostnameArgs a = LocalHost.bind(hostname, Map.of("name", name));
        FakeFacts f = new FakeFacts().put("file:/etc/hostname", file).put("file:/etc", "directory 755 0 0 4096 root root\n")
                .put("sysctl:/etc/hostname/kernel.hostname", live == null ? "" : "kernel.hostname\t" + live + "\n");
        return hostname.plan(a, f, FakeContext.apply());
    }

    @Test
    void setsTheFileAndTheLiveNameAndUndoesBoth() throws Exception {
        assertFalse(plan("gpu-01", "file 644 0 0 7 root root\ngpu-01\n", "gpu-01").changes());
        Plan p = plan("gpu-01", "file 644 0 0 3 root root\nvm\n", "vm");
        assertEquals("gpu-01\n", new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8));
        assertEquals("hostname gpu-01", p.steps().get(1).script());
        assertEquals(List.of(new Undo.RestorePath("/etc/hostname"), new Undo.RestoreSysctl("kernel.hostname", "vm")), p.undo());
        assertTrue(p.diffs().contains(Diff.of("hostname", "vm\n", "gpu-01\n")));
        Plan liveOnly = plan("gpu-01", "file 644 0 0 7 root root\ngpu-01\n", "vm");
        assertEquals(List.of("hostname gpu-01"), liveOnly.steps().stream().map(Step::script).toList());
    }

    @Test
    void refusesOtherStrategiesAndBadNames() {
        assertEquals("use", assertThrows(ArgException.class, () -> LocalHost.bind(hostname, Map.of("name", "a", "use", "redhat"))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(hostname, Map.of("name", "-a"))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(hostname, Map.of("name", "a b"))).arg());
        assertDoesNotThrow(() -> LocalHost.bind(hostname, Map.of("name", "gpu-01.lab", "use", "systemd")));
    }

    @Test
    void theLiveNameIsReadHere() throws Exception {
        var f = new dev.moat.modules.system.SysctlFact("/etc/hostname", "kernel.hostname");
        String here = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/sys/kernel/hostname"))).strip();
        assertEquals(here, f.parse(LocalHost.sh(f.script(), null)).get("kernel.hostname"));
    }
}
