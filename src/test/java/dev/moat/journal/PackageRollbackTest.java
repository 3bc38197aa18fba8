package dev.moat.journal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * A package install's journal entry with the local sh, dpkg and apt-get played by small scripts over
 * a state file ({@code PACKAGE STATUS} lines): the entry records every package the install added,
 * dependencies included, and the rollback purges exactly those and checks dpkg agrees.
 */
class PackageRollbackTest {
    @TempDir Path tmp;
    Path state;
    Journal journal;

    @BeforeEach
    void fakeDpkg() throws Exception {
        state = tmp.resolve("dpkg-state");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        // dpkg-query -W -f=FORMAT [PACKAGE...]: the state lines, of the packages named if any.
        Files.writeString(bin.resolve("dpkg-query"), """
                #!/bin/sh
                shift 2
                if [ $# -eq 0 ]; then cat "$STATE"; exit 0; fi
                for p in "$@"; do grep "^$p " "$STATE" || echo "$p not-installed"; done
                """);
        // apt-get ... install|purge|remove PACKAGE...: install adds nginx's dependency too.
        Files.writeString(bin.resolve("apt-get"), """
                #!/bin/sh
                while [ $# -gt 0 ]; do case "$1" in install|purge|remove) op=$1; shift; break ;; *) shift ;; esac; done
                [ -n "$FAKE_APT_BROKEN" ] && exit 0
                for p in "$@"; do
                  grep -v "^$p " "$STATE" > "$STATE.new"; mv "$STATE.new" "$STATE"
                  case $op in
                    install) echo "$p installed" >> "$STATE"; [ "$p" = nginx ] && { grep -v '^nginx-common ' "$STATE" > "$STATE.new"; mv "$STATE.new" "$STATE"; echo 'nginx-common installed' >> "$STATE"; } ;;
                    remove) echo "$p config-files" >> "$STATE" ;;
                  esac
                done
                exit 0
                """);
        for (String f : List.of("dpkg-query", "apt-get")) bin.resolve(f).toFile().setExecutable(true);
        Files.writeString(state, "base-files installed\nold-tool config-files\n");
        journal = new Journal(tmp.resolve("journal").toString());
        sh(journal.open("r1"), 0);
    }

    private String sh(String script, int rc) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("STATE", state.toString());
        if (rc == 5) pb.environment().put("FAKE_APT_BROKEN", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(rc, p.waitFor(), out);
        return out;
    }

    private List<String> states() throws Exception {
        return Files.readAllLines(state).stream().sorted().toList();
    }

    @Test
    void theRecordedSetHoldsTheDependenciesAndRollbackPurgesExactlyIt() throws Exception {
        List<String> before = states();
        Undo declared = new Undo.RemovePackages(List.of("nginx", "old-tool"));
        sh(journal.snapshot("r1", 1, declared), 0);
        sh("apt-get -y install nginx old-tool", 0);
        String out = sh(journal.settle("r1", 1, declared), 0);
        Undo recorded = journal.settled(declared, out);
        assertEquals(new Undo.RemovePackages(List.of("nginx", "nginx-common", "old-tool")), recorded,
                "nginx-common came with nginx; base-files was there before");

        sh(journal.restore("r1", 1, recorded), 0);
        assertEquals(before, states(), "nginx and nginx-common purged; old-tool removed, its configuration kept as before");
    }

    @Test
    void withoutARecordedSetOnlyTheTasksOwnPackagesArePurgedAndTheOthersAreNamed() throws Exception {
        Undo declared = new Undo.RemovePackages(List.of("nginx"));
        sh(journal.snapshot("r1", 2, declared), 0);
        sh("apt-get -y install nginx", 0); // moat died before it recorded what came in
        sh("apt-get -y install curl", 0); // and later someone else installed curl
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", journal.restore("r1", 2, declared)).redirectErrorStream(true);
        pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("STATE", state.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(5, p.waitFor(), out);
        assertTrue(out.contains("not restored exactly") && out.contains("curl") && out.contains("nginx-common"), out);
        List<String> after = states();
        assertFalse(after.contains("nginx installed"), "the task's own package is purged: " + after);
        assertTrue(after.contains("curl installed") && after.contains("nginx-common installed"), "nothing else is touched: " + after);
    }

    @Test
    void aPackageStillListedAfterThePurgeFailsTheRestore() throws Exception {
        Undo declared = new Undo.RemovePackages(List.of("nginx"));
        sh(journal.snapshot("r1", 3, declared), 0);
        sh("apt-get -y install nginx", 0);
        Undo recorded = journal.settled(declared, sh(journal.settle("r1", 3, declared), 0));
        String out = sh(journal.restore("r1", 3, recorded), 5); // this apt-get purges nothing
        assertTrue(out.contains("still installed after the rollback: nginx (installed) nginx-common (installed)"), out);
    }

    @Test
    void otherEntriesNeedNoSettling() {
        assertNull(journal.settle("r1", 4, new Undo.RestorePath("/etc/motd")));
        Undo u = new Undo.RestorePath("/etc/motd");
        assertSame(u, journal.settled(u, "@@packages x"));
    }
}
