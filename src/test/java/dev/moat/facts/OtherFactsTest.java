package dev.moat.facts;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.FactKeys;
import dev.moat.module.FactOutput;
import dev.moat.modules.LocalHost;

class OtherFactsTest {
    @TempDir
    Path dir;

    private static FactOutput out(String s) {
        return new FactOutput(0, s.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    @Test
    void packageFactOnThisDebianMachine() {
        PackageFact f = new PackageFact("coreutils");
        PackageState s = f.parse(LocalHost.read(f));
        assertTrue(s.installed());
        assertTrue(s.version().matches("[0-9].*"), s.version());
        PackageFact none = new PackageFact("moat-no-such-package");
        FactOutput o = LocalHost.read(none);
        assertEquals(0, o.rc(), "an unknown package is data, not a failed read");
        assertFalse(none.parse(o).installed());
        assertEquals("pkg:coreutils", f.key());
    }

    @Test
    void packageFactFixtures() {
        PackageFact f = new PackageFact("nginx");
        assertFalse(f.parse(out("rc |1.22.1-9\n")).installed(), "removed with config files left");
        PackageState multi = f.parse(out("un |\nii |1.22.1-9+deb12u1\n"));
        assertTrue(multi.installed());
        assertEquals("1.22.1-9+deb12u1", multi.version());
        assertThrows(IllegalArgumentException.class, () -> new PackageFact("nginx; rm -rf /"));
    }

    @Test
    void aptPolicyFactOnThisMachineAndFixtures() {
        AptPolicyFact f = new AptPolicyFact("coreutils");
        AptPolicy p = f.parse(LocalHost.read(f));
        assertNotNull(p.installed());
        assertNotNull(p.candidate());
        AptPolicy none = new AptPolicyFact("x").parse(out("x:\n  Installed: (none)\n  Candidate: 2.0-1\n  Version table:\n"));
        assertNull(none.installed());
        assertEquals("2.0-1", none.candidate());
        AptPolicy unknown = new AptPolicyFact("moat-no-such").parse(LocalHost.read(new AptPolicyFact("moat-no-such")));
        assertFalse(unknown.installable());
    }

    @Test
    void aptCacheFactGivesAnAge() throws Exception {
        long age = new AptCacheFact().parse(LocalHost.read(new AptCacheFact()));
        assertTrue(age >= 0);
        assertEquals(Long.MAX_VALUE, new AptCacheFact().parse(out("1700000000 none\n")));
        assertEquals(100L, new AptCacheFact().parse(out("1700000100 1700000000\n")));
    }

    @Test
    void existsFact() throws Exception {
        Path p = Files.createFile(dir.resolve("a b'c"));
        assertTrue(new ExistsFact(p.toString()).parse(LocalHost.read(new ExistsFact(p.toString()))));
        String gone = dir.resolve("gone").toString();
        assertFalse(new ExistsFact(gone).parse(LocalHost.read(new ExistsFact(gone))));
    }

    @Test
    void commandFactKeepsRcAndOutput() {
        CommandFact f = new CommandFact("cmd:test", "echo out; echo err >&2; exit 3");
        CommandOutput o = f.parse(LocalHost.read(f));
        assertEquals(3, o.rc());
        assertEquals("out\n", o.stdout());
        assertEquals("err\n", o.stderr());
    }

    @Test
    void treeFactListsEveryPathWhateverItsName() throws Exception {
        Path root = Files.createDirectory(dir.resolve("t"));
        Files.createDirectory(root.resolve("sub dir"));
        Files.writeString(root.resolve("sub dir/odd\nname"), "x");
        Files.createSymbolicLink(root.resolve("l"), Path.of("sub dir"));
        TreeFact f = new TreeFact(root.toString());
        List<TreeEntry> t = f.parse(LocalHost.read(f));
        assertEquals(4, t.size());
        assertTrue(t.stream().anyMatch(e -> e.path().endsWith("odd\nname") && e.type() == 'f' && e.owner().equals("root")));
        assertTrue(t.stream().anyMatch(e -> e.isLink()));
        assertTrue(new TreeFact(dir.resolve("none").toString()).parse(LocalHost.read(new TreeFact(dir.resolve("none").toString()))).isEmpty());
    }

    @Test
    void serviceFactWithoutSystemdOnThisMachine() {
        ServiceFact f = new ServiceFact("moat-no-such-service");
        ServiceState s = f.parse(LocalHost.read(f));
        assertEquals(ServiceState.Manager.SYSV, s.manager());
        assertFalse(s.known());
        assertNull(s.running());
        assertNull(s.enabled());
    }

    @Test
    void serviceFactFixtures() {
        ServiceFact f = new ServiceFact("nginx");
        ServiceState sd = f.parse(out("manager=systemd\nload=loaded\nactive=active\nenabled=enabled\n"));
        assertEquals(ServiceState.Manager.SYSTEMD, sd.manager());
        assertTrue(sd.known());
        assertTrue(sd.running());
        assertTrue(sd.enabled());
        ServiceState gone = f.parse(out("manager=systemd\nload=not-found\nactive=inactive\nenabled=\n"));
        assertFalse(gone.known());
        assertNull(gone.enabled());
        ServiceState init = f.parse(out("manager=sysv\ninitscript=yes\nstatus=3\nenabled=yes\npid=dead\nbinary=yes\n"));
        assertFalse(init.running());
        assertTrue(init.enabled());
        ServiceState unsure = f.parse(out("manager=sysv\ninitscript=yes\nstatus=4\nenabled=no\npid=alive\n"));
        assertTrue(unsure.running(), "LSB status 4 falls back to the pidfile");
        ServiceState own = f.parse(out("manager=sysv\nbinary=yes\n"));
        assertTrue(own.known());
        assertFalse(own.running());
        assertNull(own.enabled());
    }

    @Test
    void factKeysInvalidation() {
        assertTrue(FactKeys.invalidates("*", "pkg:nginx"));
        assertTrue(FactKeys.invalidates("file:/etc/nginx", "file:/etc/nginx/nginx.conf"));
        assertTrue(FactKeys.invalidates("file:/etc/a", "exists:/etc/a"));
        assertTrue(FactKeys.invalidates("file:/etc/a/b", "tree:/etc"));
        assertTrue(FactKeys.invalidates("file:/etc/a", "stat+sha1:/etc/a/b"), "any kind of key that names a path");
        assertFalse(FactKeys.invalidates("file:/etc/a", "cmd:etc/a"));
        assertFalse(FactKeys.invalidates("file:/etc/a/b", "file:/etc/a"));
        assertFalse(FactKeys.invalidates("file:/etc/ab", "file:/etc/a"));
        assertTrue(FactKeys.invalidates("pkg:nginx", "aptpolicy:nginx"));
        assertFalse(FactKeys.invalidates("service:nginx", "pkg:nginx"));
    }
}
