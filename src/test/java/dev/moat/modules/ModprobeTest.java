package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

/**
 * modprobe's decisions against community.general's recorded answers
 * (src/test/resources/ansible-modprobe.json: its own code run on these files, the module taken as
 * loaded), and the load/unload decisions, which no test host may carry out.
 */
class ModprobeTest {
    final Modprobe module = new Modprobe();

    /** What DirFilesFact prints for {@code files} (paths relative to /etc) under {@code dir}. */
    static String dirFiles(String dir, Map<String, String> files) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (!("/etc/" + f.getKey()).startsWith(dir + "/")) continue;
            byte[] c = f.getValue().getBytes(StandardCharsets.UTF_8);
            s.append("644 0 0 ").append(c.length).append(" root root ").append(Base64.getEncoder().encodeToString(c)).append('\n')
             .append("/etc/").append(f.getKey()).append('\n');
        }
        return s.toString();
    }

    static FakeFacts facts(String name, String loaded, Map<String, String> files) {
        FakeFacts f = new FakeFacts().put("kmod:" + name, loaded + "\n").put("cmd:modprobe", "/usr/sbin/modprobe\n");
        for (String dir : List.of(Modprobe.LOAD_DIR, Modprobe.OPTIONS_DIR)) {
            f.put("tree:" + dir + "/", dirFiles(dir, files)).put("file:" + dir, "directory 755 0 0 4096 root root\n");
            String own = dir + "/" + name + ".conf";
            String c = files.get(own.substring(5));
            f.put("file:" + own, c == null ? "absent\n" : SysctlTest.file(c));
        }
        return f;
    }

    /** The files after the plan's write steps, paths relative to /etc as in the fixture. */
    static Map<String, String> after(Plan p, Map<String, String> before) {
        Map<String, String> files = new TreeMap<>(before);
        for (Step s : p.steps()) {
            assertTrue(s.describe().startsWith("write /etc/"), s.describe());
            String path = s.describe().substring("write /etc/".length(), s.describe().lastIndexOf(" ("));
            files.put(path, new String(s.stdin(), StandardCharsets.UTF_8));
        }
        return files;
    }

    @Test
    void persistentFilesAsAnsibleWroteThem() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(Path.of("src/test/resources/ansible-modprobe.json").toFile());
        int n = 0;
        for (var it = cases.fields(); it.hasNext(); n++) {
            var c = it.next();
            Map<String, Object> args = new ObjectMapper().convertValue(c.getValue().path("args"), LinkedHashMap.class);
            Map<String, String> before = new ObjectMapper().convertValue(c.getValue().path("before"), TreeMap.class);
            Map<String, String> want = new ObjectMapper().convertValue(c.getValue().path("after"), TreeMap.class);
            Modprobe.ModprobeArgs a = LocalHost.bind(module, args);
            Plan p = module.plan(a, facts("dummy", "loaded", before), FakeContext.apply());
            assertEquals(c.getValue().path("changed").asBoolean(), p.changes(), c.getKey());
            assertEquals(want, after(p, before), c.getKey());
            for (Undo u : p.undo()) assertTrue(u instanceof Undo.RestorePath, c.getKey() + ": files only, each restored");
            assertEquals(p.steps().size(), p.undo().size(), c.getKey());
        }
        assertEquals(9, n);
    }

    @Test
    void loadsAndUnloadsOnlyWhenNeededAndSaysTheyCannotBeUndone() throws Exception {
        Map<String, String> none = Map.of();
        Plan load = module.plan(LocalHost.bind(module, Map.of("name", "nvidia-uvm", "params", "uvm_perf='a b' x=1")), facts("nvidia-uvm", "no", none), FakeContext.checkMode());
        assertEquals(List.of("modprobe -- nvidia-uvm 'uvm_perf=a b' x=1"), load.steps().stream().map(Step::script).toList());
        assertEquals(List.of(new Undo.Irreversible("loading kernel module nvidia-uvm")), load.undo());
        assertEquals("present", load.result().get("state"));
        assertFalse(module.plan(LocalHost.bind(module, Map.of("name", "ext4")), facts("ext4", "builtin", none), FakeContext.apply()).changes(),
                "a built-in module is loaded");
        assertFalse(module.plan(LocalHost.bind(module, Map.of("name", "loop", "state", "absent")), facts("loop", "no", none), FakeContext.apply()).changes());
        Plan unload = module.plan(LocalHost.bind(module, Map.of("name", "loop", "state", "absent")), facts("loop", "loaded", none), FakeContext.apply());
        assertEquals(List.of("modprobe -r -- loop"), unload.steps().stream().map(Step::script).toList());
        assertEquals(List.of(new Undo.Irreversible("unloading kernel module loop")), unload.undo());
        // A load and the persistent file in one task: the file still has its own undo.
        Plan both = module.plan(LocalHost.bind(module, Map.of("name", "dummy", "persistent", "present")), facts("dummy", "no", none), FakeContext.apply());
        assertEquals(new ArrayList<>(List.of(new Undo.Irreversible("loading kernel module dummy"), new Undo.RestorePath("/etc/modules-load.d/dummy.conf"))), both.undo());
    }

    @Test
    void aKernelThatCannotSayFails() {
        TaskException e = assertThrows(TaskException.class,
                () -> module.plan(LocalHost.bind(module, Map.of("name", "dummy")), facts("dummy", "unreadable", Map.of()), FakeContext.apply()));
        assertTrue(e.getMessage().contains("/proc/modules"), e.getMessage());
    }

    @Test
    void aHostWithoutModprobeFailsAsAnsibleWhereModprobeMustRun() throws Exception {
        // Ansible 2.14 (community.general 6, check mode, on a systemd testbed host without kmod), as
        // tests/fixtures/check-compare/nvidia.nvidia_driver recorded it for 'modprobe: name=nouveau state=absent'.
        String ansible = "Failed to find required executable \"modprobe\" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        String path = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n";
        var absent = LocalHost.bind(module, Map.of("name", "nouveau", "state", "absent"));
        for (String loaded : List.of("unreadable", "loaded", "builtin")) {
            FakeFacts f = facts("nouveau", loaded, Map.of()).put("cmd:modprobe", path);
            assertEquals(ansible, assertThrows(TaskException.class, () -> module.plan(absent, f, FakeContext.checkMode())).getMessage(), loaded);
        }
        // The sbin directories Ansible adds when PATH lacks them.
        FakeFacts bare = facts("nouveau", "loaded", Map.of()).put("cmd:modprobe", "PATH=/usr/bin:/bin\n");
        assertEquals("Failed to find required executable \"modprobe\" in paths: /usr/bin:/bin:/sbin:/usr/sbin:/usr/local/sbin",
                assertThrows(TaskException.class, () -> module.plan(absent, bare, FakeContext.apply())).getMessage());
        // Nothing to load or unload: only the persistent files change, which needs no modprobe (moat is laxer here).
        FakeFacts none = facts("dummy", "builtin", Map.of()).put("cmd:modprobe", path);
        assertTrue(module.plan(LocalHost.bind(module, Map.of("name", "dummy", "persistent", "present")), none, FakeContext.apply()).changes());
        assertTrue(module.reads(absent).contains(Modprobe.MODPROBE));
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("name", "a;b"))).arg());
        assertEquals("params", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("name", "a", "params", "x='y"))).arg());
        assertEquals("persistent", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("name", "a", "persistent", "yes"))).arg());
    }

    @Test
    void theReadsWorkHere() throws Exception {
        // Reads only, on this machine: the files fact on a scratch directory, the kernel fact on any module name.
        java.nio.file.Path d = java.nio.file.Files.createTempDirectory("modprobe");
        java.nio.file.Files.writeString(d.resolve(".hidden.conf"), "dummy\n");
        java.nio.file.Files.createDirectory(d.resolve("sub"));
        var fact = new dev.moat.modules.system.DirFilesFact(d.toString());
        var files = fact.parse(LocalHost.sh(fact.script(), null));
        assertEquals(List.of(d + "/.hidden.conf"), new ArrayList<>(files.keySet()));
        assertEquals("dummy\n", files.get(d + "/.hidden.conf").text());
        var none = new dev.moat.modules.system.DirFilesFact(d + "/missing");
        assertTrue(none.parse(LocalHost.sh(none.script(), null)).isEmpty());
        var k = new dev.moat.modules.system.KmodFact("no_such_module_here");
        assertNotEquals(dev.moat.modules.system.KmodFact.Loaded.LOADED, k.parse(LocalHost.sh(k.script(), null)));
    }
}
