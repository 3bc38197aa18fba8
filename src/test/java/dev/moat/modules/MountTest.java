package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.system.MountsFact;

/** mount against ansible.posix's recorded fstab edits (src/test/resources/ansible-mount.json, made by ansible-mount.py) and recorded mountinfo. */
class MountTest {
    final Mount module = new Mount();
    static final String FSTAB = "/etc/fstab";
    /** Recorded from a testbed host (/proc/self/mountinfo), with a tmpfs at /mnt/moat-tmp and a path with a space. */
    static final String MOUNTINFO = "1416 1336 0:131 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w\n"
            + "1417 1416 0:133 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
            + "1500 1416 0:140 / /mnt/moat-tmp rw,relatime - tmpfs tmpfs rw,inode64\n"
            + "1501 1416 0:141 / /mnt/a\\040b rw,relatime - tmpfs tmpfs rw,inode64\n";

    static FakeFacts facts(String fstab, String mountinfo, boolean dirExists) {
        return new FakeFacts().put("file:" + FSTAB, fstab == null ? "absent\n" : SysctlTest.file(fstab))
                .put("file:/etc", "directory 755 0 0 4096 root root\n")
                .put("file:/mnt/moat-tmp", dirExists ? "directory 755 0 0 4096 root root\n" : "absent\n")
                .put(MountsFact.KEY, "mountinfo\n" + mountinfo);
    }

    @SuppressWarnings("unchecked")
    @Test
    void editsFstabAsAnsibleDid() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(Path.of("src/test/resources/ansible-mount.json").toFile());
        int n = 0;
        for (var it = cases.fields(); it.hasNext(); n++) {
            var c = it.next();
            JsonNode v = c.getValue();
            Map<String, Object> args = new ObjectMapper().convertValue(v.path("args"), LinkedHashMap.class);
            Mount.MountArgs a = LocalHost.bind(module, args);
            String before = v.path("before").isNull() ? null : v.path("before").asText();
            assertEquals(v.path("opts").asText(), a.opts(), c.getKey());
            String edited = a.state().equals("present") ? Mount.set(before == null ? "" : before, a) : Mount.unset(before == null ? "" : before, a);
            assertEquals(v.path("changed").asBoolean(), edited != null, c.getKey());
            if (edited != null) assertEquals(v.path("after").asText(), edited, c.getKey());
            if (!a.path().equals("/mnt/moat-tmp")) continue;
            Plan p = module.plan(a, facts(before, "", true), FakeContext.apply());
            assertEquals(v.path("changed").asBoolean(), p.changes(), c.getKey());
            if (p.changes()) {
                assertEquals(v.path("after").asText(), new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8), c.getKey());
                assertEquals(List.of(new Undo.RestorePath(FSTAB)), p.undo(), c.getKey());
                assertEquals(v.path("after").asText(), p.diffs().get(0).after(), c.getKey());
            }
        }
        assertEquals(19, n);
    }

    Mount.MountArgs tmpfs(String state) throws ArgException {
        return LocalHost.bind(module, Map.of("path", "/mnt/moat-tmp", "src", "tmpfs", "fstype", "tmpfs", "opts", "size=16m", "state", state));
    }

    static final String LINE = "tmpfs /mnt/moat-tmp tmpfs size=16m 0 0\n";

    @Test
    void mountedWritesTheLineCreatesTheDirAndMounts() throws Exception {
        Plan p = module.plan(tmpfs("mounted"), facts("# fstab\n", "", false), FakeContext.apply());
        List<String> scripts = p.steps().stream().map(Step::script).toList();
        assertEquals("mkdir -p -- /mnt/moat-tmp", scripts.get(0));
        assertEquals("# fstab\n" + LINE, new String(p.steps().get(1).stdin(), StandardCharsets.UTF_8));
        assertEquals("mount -- /mnt/moat-tmp", scripts.get(scripts.size() - 1));
        assertEquals(List.of(new Undo.RestorePath(FSTAB), new Undo.Unmount("/mnt/moat-tmp", true)), p.undo());
    }

    @Test
    void mountedAndInFstabIsANoOp() throws Exception {
        Plan p = module.plan(tmpfs("mounted"), facts("# fstab\n" + LINE, MOUNTINFO, true), FakeContext.apply());
        assertFalse(p.changes());
        assertEquals(List.of(), p.undo());
    }

    @Test
    void inFstabButNotMountedOnlyMounts() throws Exception {
        Plan p = module.plan(tmpfs("mounted"), facts("# fstab\n" + LINE, "", true), FakeContext.apply());
        assertEquals(List.of("mount -- /mnt/moat-tmp"), p.steps().stream().map(Step::script).toList());
        assertEquals(List.of(new Undo.Unmount("/mnt/moat-tmp", false)), p.undo());
    }

    @Test
    void aChangedLineOnAMountedPathRemounts() throws Exception {
        Plan p = module.plan(tmpfs("mounted"), facts("tmpfs /mnt/moat-tmp tmpfs size=8m 0 0\n", MOUNTINFO, true), FakeContext.apply());
        List<String> scripts = p.steps().stream().map(Step::script).toList();
        assertEquals("mount -o remount,size=16m -- /mnt/moat-tmp", scripts.get(scripts.size() - 1));
        assertEquals(List.of(new Undo.RestorePath(FSTAB), new Undo.Irreversible("remounting /mnt/moat-tmp")), p.undo());
    }

    @Test
    void unmountedUnmountsOnlyWhatIsMounted() throws Exception {
        Plan p = module.plan(tmpfs("unmounted"), facts(LINE, MOUNTINFO, true), FakeContext.apply());
        assertEquals(List.of("umount -- /mnt/moat-tmp"), p.steps().stream().map(Step::script).toList());
        assertEquals(List.of(new Undo.Irreversible("unmounting /mnt/moat-tmp")), p.undo());
        assertFalse(module.plan(tmpfs("unmounted"), facts(LINE, "", true), FakeContext.apply()).changes());
    }

    @Test
    void absentRemovesTheLineUnmountsAndRemovesTheDir() throws Exception {
        Plan p = module.plan(tmpfs("absent"), facts("# fstab\n" + LINE, MOUNTINFO, true), FakeContext.apply());
        assertEquals("# fstab\n", new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8));
        List<String> scripts = p.steps().stream().map(Step::script).toList();
        assertEquals(List.of("umount -- /mnt/moat-tmp", "rmdir -- /mnt/moat-tmp"), scripts.subList(scripts.size() - 2, scripts.size()));
        // Ansible unmounts only when the line was in fstab.
        assertFalse(module.plan(tmpfs("absent"), facts("# fstab\n", MOUNTINFO, true), FakeContext.apply()).changes());
    }

    @Test
    void remountedAlwaysRemounts() throws Exception {
        Plan p = module.plan(tmpfs("remounted"), facts(LINE, MOUNTINFO, true), FakeContext.apply());
        assertEquals(List.of("mount -o remount,size=16m -- /mnt/moat-tmp"), p.steps().stream().map(Step::script).toList());
    }

    @Test
    void anOtherFstabIsPassedToMount() throws Exception {
        Mount.MountArgs a = LocalHost.bind(module, Map.of("path", "/mnt/moat-tmp", "src", "tmpfs", "fstype", "tmpfs", "fstab", "/etc/fstab.d/x",
                "state", "remounted"));
        assertEquals(" -T /etc/fstab.d/x", Mount.fstabArgs(a));
    }

    @Test
    void mountinfoIsReadWithItsEscapes() {
        assertEquals(Set.of("/", "/proc", "/mnt/moat-tmp", "/mnt/a b"), MountsFact.parse(MOUNTINFO));
    }

    @Test
    void unreadableMountinfoFails() throws Exception {
        FakeFacts f = facts(LINE, "", true).put(MountsFact.KEY, "unreadable\n");
        assertThrows(TaskException.class, () -> module.plan(tmpfs("mounted"), f, FakeContext.apply()));
    }

    @Test
    void argumentsAreCheckedAsAnsibleDoes() {
        assertEquals("src", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("path", "/mnt/x", "fstype", "tmpfs", "state", "mounted"))).arg());
        assertEquals("fstype", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("path", "/mnt/x", "src", "tmpfs", "state", "present"))).arg());
        assertEquals("state", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("path", "/mnt/x"))).arg());
        assertEquals("state", assertThrows(ArgException.class, () -> LocalHost.bind(module,
                Map.of("path", "/mnt/x", "src", "tmpfs", "fstype", "tmpfs", "state", "ephemeral"))).arg());
        assertEquals("path", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("path", "mnt/x", "state", "unmounted"))).arg());
    }
}
