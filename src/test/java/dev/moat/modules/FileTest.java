package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

class FileTest {
    final File file = new File();

    @TempDir
    Path dir;

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("src", assertThrows(ArgException.class, () -> LocalHost.bind(file, Map.of("path", "/x", "state", "link"))).arg());
        assertEquals("recurse", assertThrows(ArgException.class,
                () -> LocalHost.bind(file, Map.of("path", "/x", "state", "file", "recurse", true))).arg());
        assertEquals("state", assertThrows(ArgException.class,
                () -> LocalHost.bind(file, Map.of("path", "/x", "state", "gone"))).arg());
        assertEquals("recurse", assertThrows(ArgException.class,
                () -> LocalHost.bind(file, Map.of("path", "/x", "recurse", "maybe"))).arg());
        assertEquals("path", assertThrows(ArgException.class, () -> LocalHost.bind(file, Map.of("path", "/", "state", "absent"))).arg());
    }

    @Test
    void fixtures() throws Exception {
        File.FileArgs a = LocalHost.bind(file, Map.of("path", "/srv/a", "state", "directory", "mode", "0750"));
        FakeFacts converged = new FakeFacts().put("file:/srv/a", "directory 750 0 0 4096 root root\n").put("file:/srv", "directory 755 0 0 4096 root root\n");
        assertFalse(file.plan(a, converged, FakeContext.apply()).changes());
        FakeFacts missing = new FakeFacts().put("file:/srv/a", "absent\n").put("file:/srv", "absent\n");
        Plan p = file.plan(a, missing, FakeContext.apply());
        assertEquals(List.of("mkdir -p -- /srv/a\nchmod 0750 /srv\nchmod 0750 /srv/a"), p.steps().stream().map(Step::script).toList());
        assertEquals(List.of(new Undo.RestorePath("/srv")), p.undo(), "undo removes the topmost directory created");
        assertEquals(List.of(Diff.of("/srv/a", "absent", "directory")), p.diffs());
        FakeFacts isFile = new FakeFacts().put("file:/srv/a", "file 644 0 0 0 root root\n").put("file:/srv", "directory 755 0 0 4096 root root\n");
        assertEquals("/srv/a exists and is a file, not a directory",
                assertThrows(TaskException.class, () -> file.plan(a, isFile, FakeContext.apply())).getMessage());
        File.FileArgs gone = LocalHost.bind(file, Map.of("path", "/srv/a", "state", "absent"));
        Plan rm = file.plan(gone, converged, FakeContext.apply());
        assertEquals(List.of("rm -rf -- /srv/a"), rm.steps().stream().map(Step::script).toList());
        assertEquals(List.of(new Undo.RestorePath("/srv/a")), rm.undo());
        assertFalse(file.plan(gone, missing, FakeContext.apply()).changes());
    }

    @Test
    void stateFileOnAMissingPathIsAnError() throws Exception {
        File.FileArgs a = LocalHost.bind(file, Map.of("path", dir.resolve("none").toString(), "mode", "0600"));
        assertThrows(TaskException.class, () -> LocalHost.plan(file, a, FakeContext.apply()));
    }

    @Test
    void directoryWithParentsForReal() throws Exception {
        Path d = dir.resolve("a b/c'd/e");
        Plan p = LocalHost.converge(file, Map.of("path", d.toString(), "state", "directory", "mode", "0700"), FakeContext.apply());
        assertTrue(Files.isDirectory(d));
        assertEquals("rwx------", perms(d));
        assertEquals("rwx------", perms(dir.resolve("a b")));
        assertEquals(List.of(new Undo.RestorePath(dir.resolve("a b").toString())), p.undo());
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        Plan again = LocalHost.converge(file, Map.of("path", d.toString(), "state", "directory", "mode", "0700"), FakeContext.apply());
        assertEquals(List.of(Diff.of(d.toString(), "mode 0755", "mode 0700")), again.diffs());
    }

    @Test
    void absentRemovesATreeForReal() throws Exception {
        Path d = Files.createDirectories(dir.resolve("t/u"));
        Files.writeString(d.resolve("f"), "x");
        Plan p = LocalHost.converge(file, Map.of("path", dir.resolve("t").toString(), "state", "absent"), FakeContext.apply());
        assertFalse(Files.exists(dir.resolve("t")));
        assertEquals(List.of(new Undo.RestorePath(dir.resolve("t").toString())), p.undo());
    }

    @Test
    void touchForRealAndQuietOnRerun() throws Exception {
        Path f = dir.resolve("marker file");
        LocalHost.converge(file, Map.of("path", f.toString(), "state", "touch", "mode", "0600"), FakeContext.apply());
        assertEquals("rw-------", perms(f));
        Plan again = LocalHost.plan(file, LocalHost.bind(file, Map.of("path", f.toString(), "state", "touch", "mode", "0600")), FakeContext.apply());
        assertFalse(again.changes());
    }

    @Test
    void linkForReal() throws Exception {
        Path l = dir.resolve("cur");
        LocalHost.converge(file, Map.of("path", l.toString(), "state", "link", "src", "/etc/hostname"), FakeContext.apply());
        assertEquals(Path.of("/etc/hostname"), Files.readSymbolicLink(l));
        Plan retarget = LocalHost.converge(file, Map.of("path", l.toString(), "state", "link", "src", "/etc/hosts"), FakeContext.apply());
        assertEquals(List.of(Diff.of(l.toString(), "symlink to /etc/hostname", "symlink to /etc/hosts")), retarget.diffs());
        assertEquals(Path.of("/etc/hosts"), Files.readSymbolicLink(l));
        // a link to a directory is replaced, not descended into
        Path d = Files.createDirectory(dir.resolve("d"));
        LocalHost.converge(file, Map.of("path", l.toString(), "state", "link", "src", d.toString()), FakeContext.apply());
        LocalHost.converge(file, Map.of("path", l.toString(), "state", "link", "src", "/etc"), FakeContext.apply());
        assertEquals(Path.of("/etc"), Files.readSymbolicLink(l));
        try (var s = Files.list(d)) {
            assertEquals(0, s.count());
        }
        Path regular = Files.writeString(dir.resolve("reg"), "x");
        File.FileArgs noForce = LocalHost.bind(file, Map.of("path", regular.toString(), "state", "link", "src", "/etc"));
        assertThrows(TaskException.class, () -> LocalHost.plan(file, noForce, FakeContext.apply()));
        LocalHost.converge(file, Map.of("path", regular.toString(), "state", "link", "src", "/etc", "force", true), FakeContext.apply());
        assertTrue(Files.isSymbolicLink(regular));
    }

    @Test
    void recurseForReal() throws Exception {
        Path root = Files.createDirectories(dir.resolve("r/s"));
        Files.writeString(root.resolve("f"), "x");
        Files.createSymbolicLink(dir.resolve("r/l"), Path.of("/etc/hostname"));
        Plan p = LocalHost.converge(file, Map.of("path", dir.resolve("r").toString(), "state", "directory", "recurse", true,
                "mode", "u=rwX,g=rX,o=", "owner", "root", "group", "root"), FakeContext.apply());
        assertEquals(1, p.steps().size(), "owners already right: only chmod -R");
        assertEquals("rw-r-----", perms(root.resolve("f")));
        assertEquals("rwxr-x---", perms(root));
        assertEquals(List.of(new Undo.RestorePath(dir.resolve("r").toString())), p.undo());
        assertEquals("rwxr-xr-x", perms(Path.of("/etc")), "the link's target is untouched");
    }

    @Test
    void ownerChangeForReal() throws Exception {
        Path f = Files.writeString(dir.resolve("o"), "x");
        Plan p = LocalHost.converge(file, Map.of("path", f.toString(), "owner", "nobody", "group", "nogroup"), FakeContext.apply());
        assertEquals(List.of(Diff.of(f.toString(), "owner root, group root", "owner nobody, group nogroup")), p.diffs());
        assertEquals("nobody", Files.getOwner(f).getName());
        // numeric ids compare equal to names
        assertFalse(LocalHost.plan(file, LocalHost.bind(file, Map.of("path", f.toString(), "owner", "65534")), FakeContext.apply()).changes());
    }
}
