package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/**
 * pip's and git's decisions from host states in the form their reads print them (taken from a
 * testbed host): what runs, what the diff and undo say, and the errors, without a host.
 */
class PipGitDecisionTest {
    private final Pip pip = new Pip();
    private final Git git = new Git();

    private static final String FREEZE = "venv=yes\npip=/opt/v/bin/pip3\n@@freeze\nmoat-probe==1.0\npip==23.0.1\nsetuptools==66.1.1\n";
    private static final String REPORT_EMPTY = "@@dry 0\n{\"version\": \"1\", \"pip_version\": \"23.0.1\", \"install\": [], \"environment\": {}}\n\n@@err\n\n";
    private static final String REPORT_V2 = "@@dry 0\n{\"version\": \"1\", \"install\": [{\"requested\": true, \"metadata\": {\"name\": \"moat-probe\", \"version\": \"2.0\"}}]}\n\n@@err\n\n";

    private Plan pipPlan(Map<String, Object> raw, String out) throws Exception {
        Pip.PipArgs a = LocalHost.bind(pip, raw);
        return pip.plan(a, new FakeFacts().put(Pip.fact(a).key(), out), FakeContext.apply());
    }

    @Test
    void pipCreatesAMissingVirtualenvThenInstallsAndUndoRemovesIt() throws Exception {
        Plan p = pipPlan(Map.of("name", List.of("moat-probe==1.0"), "virtualenv", "/opt/v"), "venv=no\n");
        assertEquals(2, p.steps().size());
        assertTrue(p.steps().get(0).script().endsWith("python3 -m venv /opt/v"), p.steps().get(0).script());
        assertTrue(p.steps().get(1).script().contains("install moat-probe==1.0"), p.steps().get(1).script());
        assertEquals(List.of(new Undo.RestorePath("/opt/v")), p.undo());
        assertEquals("(virtualenv /opt/v created)\nmoat-probe==1.0\n", p.diffs().get(0).after());
    }

    @Test
    void pipIsConvergedWhenTheDryRunInstallsNothingAndShowsTheUpgradeOtherwise() throws Exception {
        Map<String, Object> raw = Map.of("name", List.of("moat-probe"), "state", "latest", "virtualenv", "/opt/v", "extra_args", "--no-index --find-links /w");
        assertFalse(pipPlan(raw, FREEZE + REPORT_EMPTY).changes());
        Plan up = pipPlan(raw, FREEZE + REPORT_V2);
        assertTrue(up.steps().get(0).script().contains("install -U --no-index --find-links /w moat-probe"), up.steps().get(0).script());
        assertEquals("moat-probe==1.0\npip==23.0.1\nsetuptools==66.1.1\n", up.diffs().get(0).before());
        assertEquals("moat-probe==2.0\npip==23.0.1\nsetuptools==66.1.1\n", up.diffs().get(0).after());
        assertTrue(pipPlan(Map.of("name", List.of("moat-probe"), "state", "forcereinstall", "virtualenv", "/opt/v"), FREEZE + REPORT_V2).changes());
    }

    @Test
    void pipAbsentGoesByCanonicalName() throws Exception {
        assertTrue(pipPlan(Map.of("name", List.of("Moat_Probe"), "state", "absent", "virtualenv", "/opt/v"), FREEZE).changes());
        assertFalse(pipPlan(Map.of("name", List.of("moat-dep"), "state", "absent", "virtualenv", "/opt/v"), FREEZE).changes());
    }

    @Test
    void pipFailuresNameTheVirtualenvAndPipsOwnError() {
        TaskException noPip = assertThrows(TaskException.class, () -> pipPlan(Map.of("name", List.of("x"), "virtualenv", "/opt/v"), "venv=yes\npip=\n"));
        assertEquals("Unable to find pip in the virtualenv, /opt/v, under any of these names: pip3, pip. Make sure pip is present in the virtualenv.", noPip.getMessage());
        TaskException dry = assertThrows(TaskException.class, () -> pipPlan(Map.of("name", List.of("nosuch"), "virtualenv", "/opt/v"),
                FREEZE + "@@dry 1\n\n@@err\nERROR: No matching distribution found for nosuch\n"));
        assertTrue(dry.getMessage().contains("/opt/v") && dry.getMessage().endsWith("ERROR: No matching distribution found for nosuch"), dry.getMessage());
    }

    @Test
    void pipWithoutAVirtualenvIsRefusedAndAVirtualenvsPipIsAccepted() throws Exception {
        ArgException e = assertThrows(ArgException.class, () -> LocalHost.bind(pip, Map.of("name", List.of("x"))));
        assertTrue(e.getMessage().contains("PEP 668") && e.getMessage().contains("virtualenv: DIR"), e.getMessage());
        assertThrows(ArgException.class, () -> LocalHost.bind(pip, Map.of("name", List.of("x"), "executable", "pip3")));
        assertEquals("/opt/v", LocalHost.bind(pip, Map.of("name", List.of("x"), "executable", "/opt/v/bin/pip3")).venv());
        assertEquals("arguments [executable, virtualenv] are mutually exclusive",
                assertThrows(ArgException.class, () -> LocalHost.bind(pip, Map.of("name", List.of("x"), "executable", "/opt/v/bin/pip", "virtualenv", "/opt/v"))).getMessage());
    }

    private static final String C1 = "e012d565b36ae5279a4e59345bdb33c98e5c6691";
    private static final String C2 = "1cc77d8f06ce3a967eb2c9809dff45c7a5504dff";
    private static final String REMOTE = "@@remote 0\nref: refs/heads/main\tHEAD\n" + C2 + "\tHEAD\n" + C2 + "\trefs/heads/main\n"
            + "0eedebf3e907295075e32ccd5d3f7bfcd34016f6\trefs/tags/v2a\n" + C2 + "\trefs/tags/v2a^{}\n@@err\n";

    private Plan gitPlan(Map<String, Object> raw, String out) throws Exception {
        Git.GitArgs a = LocalHost.bind(git, raw);
        return git.plan(a, new FakeFacts().put(a.fact().key(), out), FakeContext.apply());
    }

    private static String checkout(String head, int mods, String extra) {
        return "repo=yes\nhead=" + head + "\nurl=file:///srv/app.git\nbranch=main\nmods=" + mods + "\nlocal=\n" + extra;
    }

    @Test
    void gitFollowsAnAnnotatedTagToItsCommitAndUndoRestoresTheCheckout() throws Exception {
        Plan p = gitPlan(Map.of("repo", "/srv/app.git", "dest", "/opt/app", "version", "v2a"), checkout(C1, 0, "") + REMOTE);
        assertEquals(C1, p.result().get("before"));
        assertEquals(C2, p.result().get("after"));
        assertEquals(false, p.result().get("remote_url_changed"));
        assertEquals(List.of(new Undo.RestorePath("/opt/app")), p.undo());
        assertTrue(p.steps().get(0).script().contains("fetch --tags"), p.steps().get(0).script());
        assertFalse(gitPlan(Map.of("repo", "/srv/app.git", "dest", "/opt/app", "version", "v2a"), checkout(C2, 0, "") + REMOTE).changes());
    }

    @Test
    void gitRefusesLocalModificationsWithoutForceAndSubmodules() {
        assertEquals("Local modifications exist in the destination: /opt/app (force=no).", assertThrows(TaskException.class,
                () -> gitPlan(Map.of("repo", "/srv/app.git", "dest", "/opt/app"), checkout(C2, 1, "") + REMOTE)).getMessage());
        assertTrue(assertThrows(TaskException.class, () -> gitPlan(Map.of("repo", "/srv/app.git", "dest", "/opt/app"),
                checkout(C2, 0, "submodules=yes\n") + REMOTE)).getMessage().contains("submodules"));
        assertTrue(assertThrows(TaskException.class, () -> gitPlan(Map.of("repo", "/srv/none.git", "dest", "/opt/app"),
                "repo=no\n@@remote 128\n@@err\nfatal: '/srv/none.git' does not appear to be a git repository\n")).getMessage()
                .endsWith("fatal: '/srv/none.git' does not appear to be a git repository"));
        assertEquals("bare is not supported by moat's git module",
                assertThrows(ArgException.class, () -> LocalHost.bind(git, Map.of("repo", "/srv/app.git", "dest", "/opt/app", "bare", true))).getMessage());
    }

    @Test
    void gitAcceptHostkeyMapsToTheHostsSshAsAnsible() throws Exception {
        assertEquals("ssh -o StrictHostKeyChecking=no", LocalHost.bind(git, Map.of("repo", "git@example.com:a/b.git", "dest", "/opt/b", "accept_hostkey", true)).sshCommand());
        assertEquals("ssh -o StrictHostKeyChecking=accept-new -i /root/k -o IdentitiesOnly=yes",
                Git.ssh("/root/k", null, false, true));
    }
}
