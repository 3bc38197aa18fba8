package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.journal.Undo;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.TaskException;

/**
 * Replays, with this machine as the host, the scenario of {@code ansible/git-checkout.yml} that
 * ansible-playbook 2.14.18 ran against a testbed host, and compares moat's answers with Ansible's
 * recorded ones ({@code ansible/git-checkout.json}): changed or not, {@code before}, {@code after},
 * {@code remote_url_changed} and the error messages, in check mode and for real. The sources are
 * {@code tests/fixtures/pipgit/sources.sh}'s bare repository, whose commits have fixed hashes.
 * One designed difference: {@code clone: false} without a checkout, which Ansible calls changed.
 */
class GitAnsibleComparisonTest {
    @TempDir
    static Path dir;
    static JsonNode want;
    static String src;
    private final Git git = new Git();

    @BeforeAll
    static void sources() throws Exception {
        want = new ObjectMapper().readTree(GitAnsibleComparisonTest.class.getResourceAsStream("/ansible/git-checkout.json")).get("results");
        src = dir.resolve("src").toString();
        var r = LocalHost.sh("sh " + Path.of("tests/fixtures/pipgit/sources.sh").toAbsolutePath() + " " + src, null);
        assertEquals(0, r.rc(), r.errText());
    }

    private Map<String, Object> task(String repo, String dest, Object... more) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("repo", src + "/" + repo, "dest", dir + "/" + dest));
        for (int i = 0; i < more.length; i += 2) m.put((String) more[i], more[i + 1]);
        return m;
    }

    private Plan run(String name, Map<String, Object> raw, boolean check) throws Exception {
        PlanContext ctx = check ? FakeContext.checkMode() : FakeContext.apply();
        Plan p = LocalHost.plan(git, LocalHost.bind(git, raw), ctx);
        JsonNode w = want.get(name);
        assertEquals(w.get("changed").asBoolean(), p.changes(), name + ": changed");
        if (w.has("before")) assertEquals(w.get("before").isNull() ? null : w.get("before").asText(), p.result().get("before"), name + ": before");
        if (w.has("after")) assertEquals(w.get("after").asText(), p.result().get("after"), name + ": after");
        if (w.has("remote_url_changed")) assertEquals(w.get("remote_url_changed").asBoolean(), p.result().get("remote_url_changed"), name + ": remote_url_changed");
        if (!check) {
            var failed = LocalHost.execute(p);
            assertNull(failed, () -> name + ": " + failed.errText());
        }
        return p;
    }

    private String failure(String name, Map<String, Object> raw, boolean check) {
        TaskException e = assertThrows(TaskException.class, () -> LocalHost.plan(git, LocalHost.bind(git, raw), check ? FakeContext.checkMode() : FakeContext.apply()));
        return e.getMessage();
    }

    private String sh(String script) {
        var r = LocalHost.sh(script, null);
        assertEquals(0, r.rc(), r.errText());
        return r.text();
    }

    @Test
    void sameAnswersAsAnsible() throws Exception {
        Plan fresh = run("fresh_check", task("app.git", "app"), true);
        assertEquals(new Undo.RestorePath(dir + "/app"), fresh.undo().get(0), "undo removes the clone");
        run("fresh", task("app.git", "app"), false);
        run("again", task("app.git", "app"), false);
        run("again_check", task("app.git", "app"), true);
        run("branch_check", task("app.git", "app", "version", "stable"), true);
        run("branch", task("app.git", "app", "version", "stable"), false);
        assertEquals("stable\n", sh("git -C " + dir + "/app rev-parse --abbrev-ref HEAD"), "on the branch, as Ansible's checkout --track");
        run("branch_again", task("app.git", "app", "version", "stable"), false);
        run("annotated_tag", task("app.git", "app", "version", "v2a"), false);
        run("light_tag", task("app.git", "app", "version", "v1"), false);
        run("sha_check", task("app.git", "app", "version", "1cc77d8f06ce3a967eb2c9809dff45c7a5504dff"), true);
        run("sha", task("app.git", "app", "version", "1cc77d8f06ce3a967eb2c9809dff45c7a5504dff"), false);
        run("short_sha", task("app.git", "app", "version", "e012d56"), false);
        run("short_sha_again", task("app.git", "app", "version", "e012d56"), false);
        sh("echo changed > " + dir + "/app/README");
        String mods = want.at("/mods/msg").asText().replace("/opt/app", dir + "/app");
        assertEquals(mods, failure("mods", task("app.git", "app", "version", "main"), false));
        assertEquals(want.at("/mods_check/msg").asText().replace("/opt/app", dir + "/app"), failure("mods_check", task("app.git", "app", "version", "main"), true));
        Plan force = run("mods_force", task("app.git", "app", "version", "main", "force", true), false);
        assertEquals(want.at("/mods_force/msg").asText().replace("/opt/app", dir + "/app"), force.result().get("msg"));
        assertEquals("two\n", sh("cat " + dir + "/app/README"), "force discarded the local change");
        sh("cp -a " + src + "/app.git " + src + "/app2.git");
        run("url_check", task("app2.git", "app", "version", "main"), true);
        run("url", task("app2.git", "app", "version", "main"), false);
        assertEquals("file://" + src + "/app2.git\n", sh("git -C " + dir + "/app remote get-url origin"));
        run("no_update", task("app.git", "app", "version", "stable", "update", false), false);
        run("shallow", task("app.git", "shallow", "version", "stable", "depth", 1), false);
        assertEquals(want.at("/shallow_count/stdout").asText() + "\n", sh("git -C " + dir + "/shallow rev-list --count HEAD; git -C " + dir + "/shallow rev-parse --abbrev-ref HEAD"));
        // Designed difference: Ansible answers changed without doing anything; moat has nothing to do.
        Plan noClone = LocalHost.plan(git, LocalHost.bind(git, task("app.git", "none", "clone", false)), FakeContext.apply());
        assertTrue(want.at("/no_clone/changed").asBoolean());
        assertFalse(noClone.changes());
        assertEquals(want.at("/no_clone/after").asText(), noClone.result().get("after"));
        sh("mkdir -p " + dir + "/full && touch " + dir + "/full/x");
        assertEquals(want.at("/nonempty_clone/msg").asText().replace("/opt/full", dir + "/full"), failure("nonempty_clone", task("app.git", "full"), false));
    }
}
