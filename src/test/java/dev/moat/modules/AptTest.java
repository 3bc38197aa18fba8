package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.moat.facts.AptAvailableFact;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

class AptTest {
    final Apt apt = new Apt();
    static final String GET = "DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=120";
    static final String INSTALL = GET + " -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install -- ";
    static final String UPDATE = GET + " update && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/update-success-stamp";

    private static List<String> scripts(Plan p) {
        return p.steps().stream().map(Step::script).toList();
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(apt, Map.of("name", List.of("nginx; reboot")))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(apt, Map.of("state", "present"))).arg());
        assertEquals("state", assertThrows(ArgException.class, () -> LocalHost.bind(apt, Map.of("name", "nginx", "state", "newest"))).arg());
        assertEquals("cache_valid_time", assertThrows(ArgException.class,
                () -> LocalHost.bind(apt, Map.of("name", "nginx", "cache_valid_time", "soon"))).arg());
        assertEquals(List.of(new Apt.Pkg("nginx", null), new Apt.Pkg("curl", null)),
                assertDoesNotThrow(() -> LocalHost.bind(apt, Map.of("name", "nginx, curl"))).packages(), "a comma list is split");
    }

    @Test
    void aPackageAptsCacheDoesNotKnowFailsAsAnsiblesDoesInCheckModeToo() throws Exception {
        // Ansible 2.14 (recorded, check mode): an unknown package fails present and latest, and is no change for absent.
        String msg = "No package matching 'moat-no-such' is available";
        assertTrue(AptRepositoriesTest.answer("apt name=moat-no-such state=present").contains(msg));
        assertTrue(AptRepositoriesTest.answer("apt name=moat-no-such state=latest").contains(msg));
        assertEquals("{\"changed\": false}", AptRepositoriesTest.answer("apt name=moat-no-such state=absent"));
        FakeFacts none = new FakeFacts().put("pkg:moat-no-such", "").put("aptavail:moat-no-such", "none\n")
                .put("aptpolicy:moat-no-such", "");
        for (String state : List.of("present", "latest")) {
            Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", "moat-no-such", "state", state));
            assertEquals(msg, assertThrows(TaskException.class, () -> apt.plan(a, none, FakeContext.checkMode())).getMessage());
            assertEquals(msg, assertThrows(TaskException.class, () -> apt.plan(a, none, FakeContext.apply())).getMessage());
        }
        Apt.AptArgs absent = LocalHost.bind(apt, Map.of("name", "moat-no-such", "state", "absent"));
        assertFalse(absent.packages().isEmpty());
        assertFalse(apt.reads(absent).stream().anyMatch(f -> f instanceof AptAvailableFact), "absent needs no cache read");
        assertFalse(apt.plan(absent, none, FakeContext.checkMode()).changes());
        // With update_cache, check mode refreshes nothing (Ansible's too), so the current cache decides; a real run lets
        // apt-get decide after its refresh, which may bring the package.
        Apt.AptArgs update = LocalHost.bind(apt, Map.of("name", "moat-no-such", "update_cache", true));
        assertThrows(TaskException.class, () -> apt.plan(update, none, FakeContext.checkMode()));
        assertEquals(List.of(UPDATE, INSTALL + "moat-no-such"), scripts(apt.plan(update, none, FakeContext.apply())));
        // A version in the cache, or a package that provides it (a virtual package): apt-get installs.
        for (String avail : List.of("version\n", "provided\n")) {
            FakeFacts f = new FakeFacts().put("pkg:moat-no-such", "").put("aptavail:moat-no-such", avail);
            assertTrue(apt.plan(LocalHost.bind(apt, Map.of("name", "moat-no-such")), f, FakeContext.checkMode()).changes());
        }
        // The read on this machine: an installed package reads no cache; an unknown one reads as none.
        assertEquals(AptAvailableFact.Availability.INSTALLED, new AptAvailableFact("coreutils").parse(LocalHost.read(new AptAvailableFact("coreutils"))));
        assertEquals(AptAvailableFact.Availability.NONE, new AptAvailableFact("moat-no-such").parse(LocalHost.read(new AptAvailableFact("moat-no-such"))));
        // An apt-get update or a change to the package makes the read stale.
        assertTrue(dev.moat.module.FactKeys.invalidates("apt:cache", "aptavail:moat-no-such"));
        assertTrue(dev.moat.module.FactKeys.invalidates("pkg:moat-no-such", "aptavail:moat-no-such"));
        assertFalse(dev.moat.module.FactKeys.invalidates("pkg:nginx", "aptavail:moat-no-such"));
    }

    @Test
    void installedIsConverged() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", List.of("nginx", "curl"), "update_cache", true));
        FakeFacts f = new FakeFacts().put("pkg:nginx", "ii |1.22.1-9\n").put("pkg:curl", "ii |7.88.1-10\n");
        assertFalse(apt.plan(a, f, FakeContext.apply()).changes(), "update_cache without cache_valid_time stays quiet when nothing is missing");
    }

    @Test
    void missingPackagesAreInstalledAfterAnUpdateAndRemovedOnUndo() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", List.of("nginx", "curl", "apache2-utils"), "update_cache", "yes"));
        FakeFacts f = new FakeFacts().put("pkg:nginx", "").put("pkg:curl", "ii |7.88.1-10\n").put("pkg:apache2-utils", "rc |2.4\n");
        Plan p = apt.plan(a, f, FakeContext.apply());
        assertEquals(List.of(UPDATE, INSTALL + "nginx apache2-utils"), scripts(p));
        assertEquals(List.of(new Undo.RemovePackages(List.of("nginx", "apache2-utils"))), p.undo());
        assertEquals(List.of(Diff.of("packages", "nginx absent\napache2-utils absent\n", "nginx (installed)\napache2-utils (installed)\n")), p.diffs());
        assertTrue(p.touches().contains("*"));
    }

    @Test
    void latestUpgradesIrreversibly() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", "openssl", "state", "latest"));
        FakeFacts old = new FakeFacts().put("pkg:openssl", "ii |3.0.11-1\n")
                .put("aptpolicy:openssl", "openssl:\n  Installed: 3.0.11-1\n  Candidate: 3.0.15-1\n");
        Plan p = apt.plan(a, old, FakeContext.apply());
        assertEquals(List.of(INSTALL + "openssl"), scripts(p));
        assertEquals(List.of(new Undo.Irreversible("package upgrade: openssl 3.0.11-1 -> 3.0.15-1")), p.undo());
        FakeFacts current = new FakeFacts().put("pkg:openssl", "ii |3.0.15-1\n")
                .put("aptpolicy:openssl", "openssl:\n  Installed: 3.0.15-1\n  Candidate: 3.0.15-1\n");
        assertFalse(apt.plan(a, current, FakeContext.apply()).changes());
    }

    @Test
    void absentRemovesIrreversibly() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", List.of("telnetd", "rsh-server"), "state", "absent", "purge", true));
        FakeFacts f = new FakeFacts().put("pkg:telnetd", "ii |0.17\n").put("pkg:rsh-server", "");
        Plan p = apt.plan(a, f, FakeContext.apply());
        assertEquals(List.of(GET + " -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold purge -- telnetd"), scripts(p), "Ansible passes dpkg_options to a removal too");
        assertEquals(List.of(new Undo.Irreversible("package removal: telnetd 0.17")), p.undo(), "the removed version is named");
    }

    @Test
    void cacheValidTimeRefreshesOnlyWhenStale() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", "curl", "update_cache", true, "cache_valid_time", 3600));
        assertTrue(apt.reads(a).stream().anyMatch(f -> f.key().equals("apt:cache")));
        FakeFacts fresh = new FakeFacts().put("pkg:curl", "ii |7\n").put("apt:cache", "1700003000 1700000000\n");
        assertFalse(apt.plan(a, fresh, FakeContext.apply()).changes());
        FakeFacts stale = new FakeFacts().put("pkg:curl", "ii |7\n").put("apt:cache", "1700009000 1700000000\n");
        Plan p = apt.plan(a, stale, FakeContext.apply());
        assertEquals(List.of(UPDATE), scripts(p));
        assertEquals(Set.of("apt:cache"), p.touches());
    }

    @Test
    void aVersionPinMustMatch() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", "nginx=1.22.1-9"));
        assertFalse(apt.plan(a, new FakeFacts().put("pkg:nginx", "ii |1.22.1-9\n"), FakeContext.apply()).changes());
        assertEquals(List.of(INSTALL + "nginx=1.22.1-9"),
                scripts(apt.plan(a, new FakeFacts().put("pkg:nginx", "ii |1.18\n"), FakeContext.apply())));
    }

    @Test
    void theFactScriptsRunOnThisMachine() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", List.of("coreutils", "dash"), "state", "latest", "update_cache", true,
                "cache_valid_time", 100000000));
        assertFalse(LocalHost.plan(apt, a, FakeContext.apply()).changes(), "installed at the candidate version");
    }

    @Test
    void theInstallAndRemoveStepsAreValidShellForApt() throws Exception {
        // Simulated (-s) so nothing changes here: proves quoting, options and "--" are accepted by apt-get.
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", List.of("coreutils", "dash")));
        Plan p = apt.plan(a, new FakeFacts().put("pkg:coreutils", "").put("pkg:dash", "")
                .put("aptavail:coreutils", "version\n").put("aptavail:dash", "version\n"), FakeContext.apply());
        for (Step s : p.steps()) {
            var out = LocalHost.sh(s.script().replace("apt-get -q", "apt-get -s -q"), null);
            assertEquals(0, out.rc(), out.errText());
        }
        Apt.AptArgs rm = LocalHost.bind(apt, Map.of("name", "moat-none", "state", "absent"));
        Plan r = apt.plan(rm, new FakeFacts().put("pkg:moat-none", "ii |1\n"), FakeContext.apply());
        var out = LocalHost.sh(r.steps().get(0).script().replace("apt-get -q", "apt-get -s -q"), null);
        assertTrue(out.errText().contains("Unable to locate package moat-none"), out.errText());
    }

    static String recorded(String name) throws Exception {
        return java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/apt", name));
    }

    @Test
    void optionsReachAptGetAsAnsiblePassesThem() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", "hello", "default_release", "bookworm", "install_recommends", false,
                "dpkg_options", "force-confnew", "allow_downgrade", true, "autoremove", true, "lock_timeout", 30));
        Plan p = apt.plan(a, new FakeFacts().put("pkg:hello", "").put("aptavail:hello", "version\n"), FakeContext.apply());
        assertEquals(List.of("DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=30 -o Dpkg::Options::=--force-confnew"
                + " --allow-downgrades -t bookworm -o APT::Install-Recommends=no --auto-remove install -- hello"), scripts(p));
        assertNull(LocalHost.bind(apt, Map.of("name", "nginx", "default_release", "")).release(), "Ansible: an empty release is none");
        assertEquals("dpkg_options", assertThrows(ArgException.class, () -> LocalHost.bind(apt, Map.of("name", "x", "dpkg_options", "force-all;reboot"))).arg());
        // Ansible 2.14 (recorded): deb with name is refused; '*' with present does nothing.
        assertTrue(AptRepositoriesTest.answer("apt name=bash deb=/tmp/x.deb").contains("parameters are mutually exclusive: deb|package|upgrade"));
        assertThrows(ArgException.class, () -> LocalHost.bind(apt, Map.of("name", "bash", "deb", "/tmp/x.deb")));
        assertTrue(AptRepositoriesTest.answer("apt name=* state=present").startsWith("{\"changed\": false"));
        assertFalse(apt.plan(LocalHost.bind(apt, Map.of("name", "*")), new FakeFacts(), FakeContext.apply()).changes());
        assertEquals("state", assertThrows(ArgException.class, () -> LocalHost.bind(apt, Map.of("name", "x", "state", "build-dep"))).arg());
    }

    @Test
    void latestUnderADefaultReleaseReadsThatCandidate() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("name", "bash", "state", "latest", "default_release", "bookworm"));
        assertTrue(apt.reads(a).stream().anyMatch(f -> f.key().equals("aptpolicy:bash@bookworm")));
        assertTrue(apt.reads(a).stream().anyMatch(f -> f.script().contains("APT::Default-Release='bookworm'") || f.script().contains("APT::Default-Release=bookworm")));
        assertTrue(dev.moat.module.FactKeys.invalidates("pkg:bash", "aptpolicy:bash@bookworm"));
    }

    @Test
    void upgradePlansFromAptGetsSimulationAndNamesWhatItCannotUndo() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("upgrade", "dist"));
        String sim = recorded("simulate-dist-upgrade.txt");
        Plan p = apt.plan(a, new FakeFacts().put("host:apt-simulate:dist-upgrade", sim), FakeContext.apply());
        assertEquals(List.of(GET + " -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold dist-upgrade"), scripts(p));
        Undo.Irreversible u = (Undo.Irreversible) p.undo().get(0);
        assertTrue(u.what().startsWith("package upgrade (old versions are not kept, so they cannot be put back): base-files 12.4+deb12u11 -> 12.4+deb12u15"), u.what());
        assertTrue(p.diffs().get(0).before().contains("bash 5.2.15-2+b8\n"));
        assertTrue(AptRepositoriesTest.answer("apt upgrade=dist").startsWith("{\"changed\": true"));
        String none = "Reading package lists...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n";
        assertFalse(apt.plan(a, new FakeFacts().put("host:apt-simulate:dist-upgrade", none), FakeContext.apply()).changes());
        Apt.AptArgs safe = LocalHost.bind(apt, Map.of("upgrade", "yes"));
        assertEquals("host:apt-simulate:upgrade --with-new-pkgs", apt.reads(safe).get(0).key());
        Plan fresh = apt.plan(safe, new FakeFacts().put("host:apt-simulate:upgrade --with-new-pkgs", recorded("simulate-install-hello.txt")), FakeContext.apply());
        assertEquals(List.of(new Undo.RemovePackages(List.of("hello"))), fresh.undo(), "a package the upgrade brings in is removed again");
    }

    @Test
    void autoremoveAloneRunsOnlyWhenAptWouldRemoveSomething() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("autoremove", true, "purge", true));
        assertTrue(AptRepositoriesTest.answer("apt autoremove=yes").startsWith("{\"changed\": false"));
        String none = "0 upgraded, 0 newly installed, 0 to remove and 135 not upgraded.\n";
        assertFalse(apt.plan(a, new FakeFacts().put("host:apt-simulate:--purge autoremove", none), FakeContext.apply()).changes());
        Plan p = apt.plan(a, new FakeFacts().put("host:apt-simulate:--purge autoremove", "Purg libfoo1 [1.0-1]\n"), FakeContext.apply());
        assertEquals(List.of(GET + " -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold --purge autoremove"), scripts(p));
        assertEquals(List.of(Diff.of("packages", "libfoo1 1.0-1\n", "libfoo1 absent\n")), p.diffs());
    }

    @Test
    void aDebIsInstalledWhenItsVersionIsNotAndRemovedOnUndo() throws Exception {
        Apt.AptArgs a = LocalHost.bind(apt, Map.of("deb", "http://10.81.0.1:3143/pool/hello_2.10-3_amd64.deb"));
        String key = "deb:http://10.81.0.1:3143/pool/hello_2.10-3_amd64.deb";
        Plan p = apt.plan(a, new FakeFacts().put(key, "@@deb hello 2.10-3\n@@installed \n"), FakeContext.apply());
        assertEquals(List.of("install hello 2.10-3 from http://10.81.0.1:3143/pool/hello_2.10-3_amd64.deb"), p.steps().stream().map(Step::describe).toList());
        assertTrue(scripts(p).get(0).contains("install -- \"$f\""));
        assertEquals(List.of(new Undo.RemovePackages(List.of("hello"))), p.undo());
        assertFalse(apt.plan(a, new FakeFacts().put(key, "@@deb hello 2.10-3\n@@installed ii |2.10-3\n"), FakeContext.apply()).changes());
        assertTrue(AptRepositoriesTest.answer("apt deb=/tmp/none.deb").contains("Could not open file /tmp/none.deb"));
        Apt.AptArgs missing = LocalHost.bind(apt, Map.of("deb", "/tmp/none.deb"));
        assertTrue(assertThrows(dev.moat.module.TaskException.class, () -> apt.plan(missing, new FakeFacts().put("deb:/tmp/none.deb", "@@missing\n"),
                FakeContext.apply())).getMessage().contains("no such file on the host"));
        assertEquals("deb", assertThrows(ArgException.class, () -> LocalHost.bind(apt, Map.of("deb", "pkg.deb"))).arg());
    }

    @Test
    void packageIsAptAndRefusesOtherManagersByName() throws Exception {
        Package pkg = new Package();
        Apt.AptArgs a = LocalHost.bind(pkg, Map.of("name", "fail2ban", "state", "present"));
        Plan p = pkg.plan(a, new FakeFacts().put("cmd:apt-get", "/usr/bin/apt-get\n").put("pkg:fail2ban", "").put("aptavail:fail2ban", "version\n"), FakeContext.apply());
        assertEquals(List.of(INSTALL + "fail2ban"), scripts(p));
        assertEquals("use", assertThrows(ArgException.class, () -> LocalHost.bind(pkg, Map.of("name", "x", "use", "dnf"))).arg());
        ArgException repo = assertThrows(ArgException.class, () -> LocalHost.bind(pkg, Map.of("name", "x", "enablerepo", "epel")));
        assertTrue(repo.getMessage().contains("enablerepo is not an apt argument"), repo.getMessage());
        assertTrue(assertThrows(dev.moat.module.TaskException.class, () -> pkg.plan(a, new FakeFacts().put("cmd:apt-get", ""), FakeContext.apply()))
                .getMessage().contains("no apt-get"));
        assertDoesNotThrow(() -> LocalHost.bind(pkg, Map.of("name", "docker-ce", "allow_downgrade", true, "use", "auto")));
    }
}
