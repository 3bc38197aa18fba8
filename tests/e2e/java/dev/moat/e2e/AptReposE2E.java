package dev.moat.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The package modules of issue 14 against the testbed's signed repository (a flat repository with
 * one package, moat-signed-probe, whose InRelease a throwaway key made at {@code testbed up}
 * signed): apt 2.6 on the host verifies the signature with the key {@code deb822_repository} or
 * {@code apt_repository} put in place, refuses the repository under another key, and
 * {@code moat rollback} puts back the sources, the key, the package set and the selection.
 */
class AptReposE2E {
    static Testbed tb;
    static Path dir;
    static Map<String, String> env;
    static String url;
    static final String HOST = "h1";
    static final String PKG = "moat-signed-probe";
    static final String[] APT_PATHS = {"/etc/apt/sources.list.d", "/etc/apt/keyrings", "/etc/apt/sources.list", "/etc/apt/trusted.gpg.d"};
    static final Pattern RUN = Pattern.compile("\"event\":\"run_start\",\"run\":\"([^\"]+)\"");

    @BeforeAll
    static void setUp() throws Exception {
        tb = Testbed.fromEnv();
        url = tb.signedAptUrl();
        dir = Files.createTempDirectory("moat-aptrepos");
        env = Map.of("MOAT_HOME", dir.resolve("home").toString());
    }

    @BeforeEach
    void clean() {
        // Every test starts from a host without the probe package, with the testbed's sources only and
        // without lists of the signed repository: apt answers a repeated InRelease from its lists
        // without verifying it again, so stale lists would hide a wrong key.
        tb.execOk(HOST, "rm -f /etc/apt/trusted.gpg.d/moat-*; echo " + PKG + " install | dpkg --set-selections 2>/dev/null; dpkg --purge " + PKG + " >/dev/null 2>&1; "
                + "rm -f /etc/apt/sources.list.d/moat-* /etc/apt/keyrings/moat-* /var/lib/apt/lists/*:3143_*; true");
    }

    static ProcResult moat(String... args) {
        return MoatCli.run(null, env, Duration.ofMinutes(5), args);
    }

    static Path playbook(String name, String yaml) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    static String runId(ProcResult r) {
        Matcher m = RUN.matcher(r.stdout());
        assertTrue(m.find(), "no run_start in " + r.describe());
        return m.group(1);
    }

    String selection() {
        return tb.execOk(HOST, "dpkg --get-selections " + PKG + " 2>&1").strip();
    }

    boolean installed() {
        return tb.exec(HOST, "[ \"$(dpkg-query -W -f='${db:Status-Status}' " + PKG + " 2>/dev/null)\" = installed ]").ok();
    }

    /** Apply, check the end state, rerun (nothing changes), check (exit 0), roll back the first run. */
    void convergeAndRollBack(Path pb, Runnable afterApply) {
        String inv = tb.inventory().toString();
        String before = tb.checksumListing(HOST, APT_PATHS).toString();
        assertFalse(installed());
        ProcResult r = moat("apply", pb.toString(), "-i", inv, "--limit", HOST, "--json");
        assertEquals(0, r.exitCode(), r.describe());
        String run = runId(r);
        assertTrue(installed(), "apt installed " + PKG + " from the signed repository");
        afterApply.run();

        ProcResult again = moat("apply", pb.toString(), "-i", inv, "--limit", HOST, "--json");
        assertEquals(0, again.exitCode(), again.describe());
        assertFalse(again.stdout().contains("\"status\":\"changed\""), "a rerun changes nothing: " + again.describe());
        ProcResult check = moat("check", pb.toString(), "-i", inv, "--limit", HOST);
        assertEquals(0, check.exitCode(), "no drift: " + check.describe());

        ProcResult rb = moat("rollback", run, "-i", inv, "--limit", HOST, "--force");
        assertEquals(0, rb.exitCode(), rb.describe());
        assertEquals(before, tb.checksumListing(HOST, APT_PATHS).toString(), "rollback restored the sources and keys byte for byte");
        assertFalse(installed(), "rollback removed " + PKG + ": " + rb.describe());
        assertTrue(selection().isEmpty() || selection().contains("no packages found"), "selection after rollback: " + selection());
    }

    @Test
    void deb822RepositoryWithTheServedKeyInstallsAndHoldsThePackageAndRollsBack() throws Exception {
        Path pb = playbook("deb822.yml", """
                - hosts: all
                  tasks:
                    - deb822_repository:
                        name: moat-signed
                        types: deb
                        uris: %s
                        suites: ./
                        signed_by: %s/key.asc
                    - apt: {name: %s, update_cache: true}
                    - dpkg_selections: {name: %s, selection: hold}
                """.formatted(url, url, PKG, PKG));
        String served = tb.execOk(HOST, "curl -fsS " + url + "/key.asc | sha256sum");
        convergeAndRollBack(pb, () -> {
            assertEquals("X-Repolib-Name: moat-signed\nSigned-By: /etc/apt/keyrings/moat-signed.asc\nSuites: ./\nTypes: deb\nURIs: " + url + "\n",
                    tb.execOk(HOST, "cat /etc/apt/sources.list.d/moat-signed.sources"));
            assertEquals(served, tb.execOk(HOST, "sha256sum < /etc/apt/keyrings/moat-signed.asc"), "the key is the served one, byte for byte");
            assertEquals("644", tb.execOk(HOST, "stat -c %a /etc/apt/keyrings/moat-signed.asc").strip());
            assertTrue(selection().endsWith("hold"), selection());
        });
    }

    @Test
    void aRepositorySignedByAnotherKeyIsRefusedAndTheRunRolledBack() throws Exception {
        String before = tb.checksumListing(HOST, APT_PATHS).toString();
        Path pb = playbook("wrong.yml", """
                - hosts: all
                  tasks:
                    - deb822_repository: {name: moat-wrong, types: deb, uris: %s, suites: ./, signed_by: %s/wrong.asc}
                    - apt: {name: %s, update_cache: true}
                """.formatted(url, url, PKG));
        ProcResult r = moat("apply", pb.toString(), "-i", tb.inventory().toString(), "--limit", HOST);
        assertEquals(1, r.exitCode(), "apt must refuse a Release signed by another key: " + r.describe());
        assertTrue((r.stdout() + r.stderr()).contains("NO_PUBKEY") || (r.stdout() + r.stderr()).contains("not signed"), r.describe());
        assertFalse(installed());
        assertEquals(before, tb.checksumListing(HOST, APT_PATHS).toString(), "the failed run was rolled back");
    }

    @Test
    void aptRepositoryLineWithSignedByInstallsAndRollsBack() throws Exception {
        // Not under /root: apt reads the key as user _apt (a key there gives NO_PUBKEY).
        tb.execOk(HOST, "curl -fsS -o /etc/apt/keyrings/moat-line.gpg " + url + "/key.gpg");
        Path pb = playbook("aptrepo.yml", """
                - hosts: all
                  tasks:
                    - apt_repository:
                        repo: "deb [signed-by=/etc/apt/keyrings/moat-line.gpg] %s ./"
                        filename: moat-signed
                    - apt: {name: %s}
                """.formatted(url, PKG));
        try {
            convergeAndRollBack(pb, () -> assertEquals("deb [signed-by=/etc/apt/keyrings/moat-line.gpg] " + url + " ./\n",
                    tb.execOk(HOST, "cat /etc/apt/sources.list.d/moat-signed.list")));
        } finally {
            tb.execOk(HOST, "rm -f /etc/apt/keyrings/moat-line.gpg");
        }
    }

    @Test
    void aptKeyInATrustedKeyringLetsPackageInstallFromAPlainLineAndRollsBack() throws Exception {
        Path pb = playbook("aptkey.yml", """
                - hosts: all
                  tasks:
                    - apt_key: {url: "%s/key.asc", keyring: /etc/apt/trusted.gpg.d/moat-signed.gpg}
                    - apt_repository: {repo: "deb %s ./", filename: moat-signed}
                    - package: {name: %s, state: present}
                """.formatted(url, url, PKG));
        convergeAndRollBack(pb, () -> assertTrue(tb.execOk(HOST, "gpg --no-default-keyring --keyring /etc/apt/trusted.gpg.d/moat-signed.gpg --list-keys --with-colons")
                .contains("repo@moat.invalid"), "apt_key put the served key in the keyring"));
    }

    @Test
    void aptDebInstallsALocalPackageFileAndRollsBack() throws Exception {
        tb.execOk(HOST, "curl -fsS -o /root/" + PKG + ".deb " + url + "/" + PKG + "_1.0_all.deb");
        Path pb = playbook("deb.yml", """
                - hosts: all
                  tasks:
                    - apt: {deb: /root/%s.deb}
                """.formatted(PKG));
        try {
            convergeAndRollBack(pb, () -> assertEquals("1.0", tb.execOk(HOST, "dpkg-query -W -f='${Version}' " + PKG)));
        } finally {
            tb.execOk(HOST, "rm -f /root/" + PKG + ".deb");
        }
    }
}
