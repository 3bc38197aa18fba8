package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Step;

/** Sysctl's decisions from fixtures, and against Ansible's recorded answers (src/test/resources/ansible-sysctl). */
class SysctlTest {
    final Sysctl sysctl = new Sysctl();
    static final String FILE = "/etc/sysctl.d/90-moat.conf";

    static String file(String content) {
        return "file 644 0 0 " + content.getBytes(StandardCharsets.UTF_8).length + " root root\n" + content;
    }

    private Plan plan(Map<String, Object> raw, String fileFact, String live) throws Exception {
        Map<String, Object> args = new LinkedHashMap<>(raw);
        args.putIfAbsent("sysctl_file", FILE);
        Sysctl.SysctlArgs a = LocalHost.bind(sysctl, args);
        FakeFacts f = new FakeFacts().put("file:" + a.file(), fileFact).put("file:" + FileWrite.parentOf(a.file()), "directory 755 0 0 4096 root root\n")
                .put("sysctl:" + a.file() + "/" + a.name(), live);
        return sysctl.plan(a, f, FakeContext.apply());
    }

    private static List<String> scripts(Plan p) {
        return p.steps().stream().map(Step::script).toList();
    }

    @Test
    void matchesAnsiblesRecordedRewrites() throws Exception {
        Path dir = Path.of("src/test/resources/ansible-sysctl");
        int cases = 0;
        try (var list = Files.list(dir)) {
            for (Path c : list.filter(Files::isDirectory).sorted().toList()) {
                Map<String, Object> args = new LinkedHashMap<>();
                Matcher m = Pattern.compile("(\\w+)=(\"([^\"]*)\"|\\S+)").matcher(Files.readString(c.resolve("args")).strip());
                while (m.find()) args.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
                args.put("reload", false);
                String before = Files.readString(c.resolve("before"));
                Plan p = plan(args, file(before), "");
                boolean changed = Boolean.parseBoolean(Files.readString(c.resolve("changed")).strip());
                assertEquals(changed, p.changes(), c.getFileName() + ": changed");
                if (changed) {
                    assertEquals(Files.readString(c.resolve("after")), new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8), c.getFileName() + ": file");
                    assertEquals(List.of(new Undo.RestorePath(FILE)), p.undo(), c.getFileName() + ": undo");
                }
                cases++;
            }
        }
        assertEquals(8, cases);
    }

    @Test
    void reloadsAndUndoesEveryLiveValueTheReloadSets() throws Exception {
        Plan p = plan(Map.of("name", "net.ipv4.ip_forward", "value", "1"), file("vm.swappiness=10\n"),
                "net.ipv4.ip_forward\t0\nvm.swappiness\t60\n");
        assertEquals("sysctl -p /etc/sysctl.d/90-moat.conf >/dev/null", scripts(p).get(1));
        assertEquals(List.of(new Undo.RestorePath(FILE), new Undo.RestoreSysctl("net.ipv4.ip_forward", "0"),
                new Undo.RestoreSysctl("vm.swappiness", "60")), p.undo());
        assertTrue(p.diffs().contains(Diff.of("sysctl net.ipv4.ip_forward", "0\n", "1\n")));
        // In the file already, live differs: reload only (Ansible's reload=yes check).
        Plan live = plan(Map.of("name", "net.ipv4.ip_forward", "value", "1"), file("net.ipv4.ip_forward=1\n"), "net.ipv4.ip_forward\t0\n");
        assertEquals(List.of("sysctl -p /etc/sysctl.d/90-moat.conf >/dev/null"), scripts(live));
        assertFalse(plan(Map.of("name", "net.ipv4.ip_forward", "value", "1"), file("net.ipv4.ip_forward=1\n"), "net.ipv4.ip_forward\t1\n").changes());
    }

    @Test
    void sysctlSetWithoutReload() throws Exception {
        Plan p = plan(Map.of("name", "net.ipv4.ip_local_port_range", "value", "1024 65000", "sysctl_set", true, "reload", false, "ignoreerrors", true),
                file("net.ipv4.ip_local_port_range=1024 65000\n"), "net.ipv4.ip_local_port_range\t32768\t60999\n");
        assertEquals(List.of("sysctl -e -w 'net.ipv4.ip_local_port_range=1024 65000' >/dev/null"), scripts(p));
        assertEquals(List.of(new Undo.RestoreSysctl("net.ipv4.ip_local_port_range", "32768\t60999")), p.undo());
        assertFalse(plan(Map.of("name", "net.ipv4.ip_local_port_range", "value", "1024   65000", "sysctl_set", true, "reload", false),
                file("net.ipv4.ip_local_port_range=1024   65000\n"), "net.ipv4.ip_local_port_range\t1024\t65000\n").changes(),
                "the same words are the same value");
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("value", assertThrows(ArgException.class, () -> LocalHost.bind(sysctl, Map.of("name", "vm.swappiness"))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(sysctl, Map.of("name", "-w", "value", "1"))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(sysctl, Map.of("name", "a;b", "value", "1"))).arg());
        assertEquals("sysctl_file", assertThrows(ArgException.class,
                () -> LocalHost.bind(sysctl, Map.of("name", "vm.swappiness", "value", "1", "sysctl_file", "x.conf"))).arg());
        assertDoesNotThrow(() -> LocalHost.bind(sysctl, Map.of("key", "vm.swappiness", "state", "absent")));
    }

    @Test
    void theLiveReadWorksHereWithoutWriting() throws Exception {
        // Reads only: sysctl -e -n of a key every Linux kernel has, and of the keys of a file.
        Path f = Files.createTempFile("sysctl", ".conf");
        Files.writeString(f, "# c\nkernel.ostype = Linux\nno.such.key=1\n");
        var fact = new dev.moat.modules.system.SysctlFact(f.toString(), "kernel.ostype");
        Map<String, String> live = fact.parse(LocalHost.sh(fact.script(), null));
        assertEquals(Map.of("kernel.ostype", "Linux"), live);
        Files.delete(f);
        List<String> restore = new ArrayList<>();
        restore.add(new dev.moat.journal.Journal("/tmp/j").restore("r", 1, new Undo.RestoreSysctl("vm.swappiness", "60")));
        assertTrue(restore.get(0).contains("sysctl -q -w vm.swappiness=60"), restore.get(0));
    }
}
