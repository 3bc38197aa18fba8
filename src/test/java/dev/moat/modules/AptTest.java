package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Step;

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
        Plan p = apt.plan(a, new FakeFacts().put("pkg:coreutils", "").put("pkg:dash", ""), FakeContext.apply());
        for (Step s : p.steps()) {
            var out = LocalHost.sh(s.script().replace("apt-get -q", "apt-get -s -q"), null);
            assertEquals(0, out.rc(), out.errText());
        }
        Apt.AptArgs rm = LocalHost.bind(apt, Map.of("name", "moat-none", "state", "absent"));
        Plan r = apt.plan(rm, new FakeFacts().put("pkg:moat-none", "ii |1\n"), FakeContext.apply());
        var out = LocalHost.sh(r.steps().get(0).script().replace("apt-get -q", "apt-get -s -q"), null);
        assertTrue(out.errText().contains("Unable to locate package moat-none"), out.errText());
    }
}
