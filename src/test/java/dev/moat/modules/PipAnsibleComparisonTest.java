package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;

/**
 * Replays, with this machine as the host, the scenario of {@code ansible/pip-venv.yml} that
 * ansible-playbook 2.14.18 ran against a testbed host ({@code ansible/pip-venv.json}): a
 * virtualenv made by {@code python3 -m venv}, packages from a local wheel directory
 * ({@code --no-index --find-links}), versions, latest, absent, forcereinstall, a requirements file,
 * and the argument errors. moat's answers come from pip's own dry run, so its check mode is exact
 * where Ansible's says "changed" for any task with {@code extra_args} (the one designed difference
 * asserted here); pip without a virtualenv is refused before pip runs, naming PEP 668 as pip does.
 */
class PipAnsibleComparisonTest {
    @TempDir
    static Path dir;
    static JsonNode want;
    static String wheels;
    static String venv;
    private final Pip pip = new Pip();

    @BeforeAll
    static void sources() throws Exception {
        want = new ObjectMapper().readTree(PipAnsibleComparisonTest.class.getResourceAsStream("/ansible/pip-venv.json")).get("results");
        String src = dir.resolve("src").toString();
        var r = LocalHost.sh("sh " + Path.of("tests/fixtures/pipgit/sources.sh").toAbsolutePath() + " " + src, null);
        assertEquals(0, r.rc(), r.errText());
        wheels = src + "/wheels";
        venv = dir + "/venv";
    }

    private Map<String, Object> task(Object... kv) {
        // The machine's python3 may be a pyenv shim; the host's is Debian's.
        Map<String, Object> m = new LinkedHashMap<>(Map.of("virtualenv", venv, "virtualenv_command", "/usr/bin/python3 -m venv",
                "extra_args", "--no-index --find-links " + wheels));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) m.remove((String) kv[i]);
            else m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private Plan run(String name, Map<String, Object> raw, boolean check) throws Exception {
        PlanContext ctx = check ? FakeContext.checkMode() : FakeContext.apply();
        Plan p = LocalHost.plan(pip, LocalHost.bind(pip, raw), ctx);
        assertEquals(want.get(name).get("changed").asBoolean(), p.changes(), name + ": changed " + p.steps());
        if (!check) {
            var failed = LocalHost.execute(p);
            assertNull(failed, () -> name + ": " + failed.errText());
        }
        return p;
    }

    private String installed() {
        return LocalHost.sh(venv + "/bin/pip list --format=freeze --disable-pip-version-check | grep moat", null).text();
    }

    private String refused(Map<String, Object> raw) {
        return assertThrows(ArgException.class, () -> LocalHost.bind(pip, raw)).getMessage();
    }

    @Test
    void sameAnswersAsAnsible() throws Exception {
        Plan fresh = run("fresh", task("name", List.of("moat-probe==1.0")), false);
        assertEquals(new Undo.RestorePath(venv), fresh.undo().get(0), "undo removes the virtualenv it made");
        assertEquals("moat-probe==1.0\n", installed());
        Plan again = run("again", task("name", List.of("moat-probe==1.0")), false);
        assertEquals(List.of(), again.steps());
        // Ansible's check mode calls any task with extra_args changed; moat's reads pip's dry run.
        assertTrue(want.at("/again_check/changed").asBoolean());
        assertFalse(LocalHost.plan(pip, LocalHost.bind(pip, task("name", List.of("moat-probe==1.0"))), FakeContext.checkMode()).changes());
        run("again_check_noextra", task("name", List.of("moat-probe==1.0")), true);
        Plan v2 = run("version2", task("name", List.of("moat-probe"), "version", "2.0"), false);
        Diff d = v2.diffs().get(0);
        assertTrue(d.before().contains("moat-probe==1.0") && d.after().contains("moat-probe==2.0"), d.toString());
        run("specifier_check_noextra", task("name", List.of("moat-probe>=1.5,<3")), true);
        run("latest", task("name", List.of("moat-probe"), "state", "latest"), false);
        run("dep_absent_missing", task("name", List.of("moat-dep"), "state", "absent", "extra_args", null), false);
        run("dep_present", task("name", List.of("moat_dep")), false);
        run("dep_absent", task("name", List.of("moat-dep"), "state", "absent", "extra_args", null), false);
        assertEquals("moat-probe==2.0\n", installed());
        run("force", task("name", List.of("moat-probe==2.0"), "state", "forcereinstall"), false);
        LocalHost.sh("printf 'moat-probe==1.0\\n' > " + dir + "/req.txt", null);
        run("requirements", task("requirements", dir + "/req.txt"), false);
        run("requirements_again", task("requirements", dir + "/req.txt"), false);
        assertEquals("moat-probe==1.0\n", installed());
        assertEquals(want.at("/version_latest/msg").asText(), refused(task("name", List.of("moat-probe"), "version", "1.0", "state", "latest")));
        assertEquals(want.at("/version_two_names/msg").asText(), refused(task("name", List.of("moat-probe", "moat-dep"), "version", "1.0")));
        assertTrue(want.at("/system/msg").asText().contains("externally-managed-environment") && want.at("/system/msg").asText().contains("PEP 668"));
        String system = refused(task("name", List.of("moat-probe"), "virtualenv", null));
        assertTrue(system.contains("externally-managed-environment") && system.contains("PEP 668"), system);
        run("fresh_check", task("name", List.of("moat-probe"), "virtualenv", dir + "/venv3", "extra_args", null), true);
    }

    @Test
    void namesAreRecoveredAsAnsibleDoes() {
        assertEquals(List.of("django>1.11.1,<1.11.3", "ipaddress", "simpleproject>1.1.0,<2.0.0"),
                Pip.recover(List.of("django>1.11.1", "<1.11.3", "ipaddress", "simpleproject>1.1.0", "<2.0.0")));
        assertEquals(List.of("django>1.11.1,<1.11.3", "ipaddress", "simpleproject>1.1.0,<2.0.0"),
                Pip.recover(List.of("django>1.11.1,<1.11.3,ipaddress", "simpleproject>1.1.0,<2.0.0")));
    }
}
