package dev.moat.modules.listen;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.scan.UnitEnvScan;

/**
 * listen_local's environment files and the audit's env-files section share one search of the units
 * inside a batched read ({@link UnitEnvScan}, {@code $moat_memo}); without a memo each runs the
 * search it ran before. Both ways, and in both orders (this fact fills the memo, or the audit did),
 * must print the same bytes on the same files, edge cases included.
 */
class EnvFilesFactTest {
    static final List<String> VARS = List.of("OLLAMA_HOST", "GRADIO_SERVER_NAME");

    @TempDir
    Path root;

    private Path file(String rel, String text) throws Exception {
        return bytes(rel, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Path bytes(String rel, byte[] b) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, b);
        return p;
    }

    private List<String> unitDirs() {
        return List.of(root + "/etc/systemd/system", root + "/run/systemd/system", root + "/lib/systemd/system", root + "/usr/lib/systemd/system");
    }

    /** Runs a script with the test root standing for /etc/default and /etc/environment; memo null: none. */
    private String run(String script, Path memo) throws Exception {
        String s = script.replace(" /etc/default", " " + root + "/etc/default").replace(" /etc/environment", " " + root + "/etc/environment");
        assertTrue(s.contains(root + "/etc/environment"), "the test's root stands for /etc/environment");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "LC_ALL=C; export LC_ALL\n" + s);
        Map<String, String> env = pb.environment();
        env.remove("moat_memo");
        if (memo != null) env.put("moat_memo", memo.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    /** The fact's and the audit section's output: without a memo, fact first, audit first (each with a fresh memo). */
    private Map<String, String> every(String audit) throws Exception {
        String fact = new EnvFilesFact(VARS, unitDirs()).script();
        Map<String, String> out = new HashMap<>();
        out.put("fact", run(fact, null));
        out.put("audit", run(audit, null));
        Path m1 = Files.createTempDirectory(root, "memo");
        assertEquals(out.get("fact"), run(fact, m1), "the fact filling the memo");
        assertEquals(out.get("audit"), run(audit, m1), "the audit reading the fact's memo");
        Path m2 = Files.createTempDirectory(root, "memo");
        assertEquals(out.get("audit"), run(audit, m2), "the audit filling the memo");
        assertEquals(out.get("fact"), run(fact, m2), "the fact reading the audit's memo");
        try (var l = Files.list(m2)) {
            assertEquals(4, l.count(), "one shared memo (u, e, m, ok)");
        }
        return out;
    }

    private String auditSection() throws Exception {
        // dev.moat.scan.AuditScript.envFiles is package-private: reach it the way the audit script does.
        var m = Class.forName("dev.moat.scan.AuditScript").getDeclaredMethod("envFiles", List.class, List.class);
        m.setAccessible(true);
        return (String) m.invoke(null, unitDirs(), List.of("/etc/default", "/etc/environment"));
    }

    @Test
    void theSharedSearchPrintsWhatEachSearchPrinted() throws Exception {
        String r = root.toString();
        // Merged /usr: /lib is a link to usr/lib, so the same units are found twice, as on Debian 12.
        Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        file("etc/systemd/system/ollama.service", "[Service]\nEnvironmentFile=-" + r + "/etc/ollama/env\n# EnvironmentFile=" + r + "/etc/ignored\n"
                + "ExecStart=/usr/bin/ollama serve\n");
        file("etc/systemd/system/ollama.service.d/override.conf", "[Service]\nEnvironment=\"OLLAMA_HOST=0.0.0.0:11434\"\n");
        file("etc/systemd/system/gradio.service", "[Service]\nEnvironmentFile=\"" + r + "/srv/gradio env\"\nEnvironmentFile=" + r + "/etc/ollama/env\n");
        file("usr/lib/systemd/system/other.service", "[Service]\n  EnvironmentFile = " + r + "/etc/default/lab  \nEnvironmentFile=%h/.env\n"
                + "EnvironmentFile=relative/env\nEnvironmentFile=\nEnvironmentFile=" + r + "/missing\nEnvironmentFile=" + r + "/etc/bin-env\n");
        file("usr/lib/systemd/system/a:1:b.service", "[Service]\nEnvironment=GRADIO_SERVER_NAME=0.0.0.0\n");
        file("usr/lib/systemd/system/comment.service", "[Service]\n# OLLAMA_HOST=0.0.0.0\n");
        bytes("usr/lib/systemd/system/binary.service", "OLLAMA_HOST=0.0.0.0\n\0\nEnvironmentFile=/etc/binary-named\n".getBytes(StandardCharsets.ISO_8859_1));
        Files.createSymbolicLink(root.resolve("etc/systemd/system/link.service"), root.resolve("usr/lib/systemd/system/a:1:b.service"));
        file("etc/ollama/env", "# the GPU box\nOLLAMA_HOST=0.0.0.0\n");
        file("srv/gradio env", "GRADIO_SERVER_NAME=0.0.0.0\n");
        file("etc/ignored", "OLLAMA_HOST=0.0.0.0\n");
        file("etc/default/lab", "OLLAMA_HOST=:11434\n");
        file("etc/default/ssh", "SSHD_OPTS=\n");
        file("etc/default/tab\there", "OLLAMA_HOST=0.0.0.0\n");
        file("etc/default/big", "OLLAMA_HOST=0.0.0.0\n" + "#".repeat(70_000) + "\n");
        bytes("etc/bin-env", "OLLAMA_HOST=0.0.0.0\n\0".getBytes(StandardCharsets.ISO_8859_1));
        file("etc/real-environment", "GRADIO_SERVER_NAME=\"0.0.0.0\"\n");
        Files.createSymbolicLink(root.resolve("etc/environment"), root.resolve("etc/real-environment"));

        Map<String, String> out = every(auditSection());
        String fact = out.get("fact"), audit = out.get("audit");
        // What the two searches saw (so that the comparison above compared something).
        assertTrue(audit.contains(r + "/etc/ollama/env:2:OLLAMA_HOST=0.0.0.0\n"), audit);
        assertTrue(audit.contains(r + "/srv/gradio env:1:"), audit);
        assertTrue(audit.contains(r + "/usr/lib/systemd/system/a:1:b.service:2:"), audit);
        assertTrue(audit.contains(r + "/lib/systemd/system/a:1:b.service:2:"), audit);
        assertTrue(audit.contains(r + "/etc/environment:1:"), audit);
        assertFalse(audit.contains("ignored") || audit.contains("binary") || audit.contains("bin-env") || audit.contains("comment"), audit);
        EnvFilesFact.Found found = EnvFilesFact.parse(fact);
        List<String> paths = found.files().stream().map(f -> f.state().path()).toList();
        assertTrue(paths.contains(r + "/etc/ollama/env") && paths.contains(r + "/srv/gradio env") && paths.contains(r + "/etc/default/lab"), paths.toString());
        assertTrue(paths.contains(r + "/etc/systemd/system/ollama.service.d/override.conf"), paths.toString());
        assertFalse(paths.contains(r + "/etc/environment"), "a link is not read: " + paths);
        assertEquals(List.of(r + "/etc/default/big"), found.tooBig());
        EnvFilesFact.EnvFile env = found.files().stream().filter(f -> f.state().path().equals(r + "/etc/ollama/env")).findFirst().orElseThrow();
        assertEquals(List.of("gradio.service", "ollama.service"), env.units());
        assertEquals("# the GPU box\nOLLAMA_HOST=0.0.0.0\n", new String(env.state().content(), StandardCharsets.UTF_8));
    }

    @Test
    void aListedNameWithANewlineTakesTheRecursiveGrep() throws Exception {
        Files.createDirectories(root.resolve("etc/systemd/system"));
        file("etc/default/two\nlines", "OLLAMA_HOST=0.0.0.0\n");
        file("etc/default/two", "OLLAMA_HOST=127.0.0.1\n");
        file("etc/default/plain", "OLLAMA_HOST=0.0.0.0\n");
        Map<String, String> out = every(auditSection());
        assertTrue(out.get("audit").contains(root + "/etc/default/two\nlines:1:OLLAMA_HOST=0.0.0.0\n"), out.get("audit"));
    }

    @Test
    void nothingFoundNothingPrinted() throws Exception {
        file("etc/systemd/system/ssh.service", "[Service]\nEnvironmentFile=-" + root + "/etc/default/ssh\nExecStart=/usr/sbin/sshd -D\n");
        file("etc/default/ssh", "SSHD_OPTS=\n");
        Map<String, String> out = every(auditSection());
        assertEquals("", out.get("audit"));
        assertEquals("@@systemd no\n", out.get("fact").replace("@@systemd yes\n", "@@systemd no\n"));
    }

    @Test
    void otherVariablesKeepTheirOwnMemo() throws Exception {
        file("etc/systemd/system/app.service", "[Service]\nEnvironment=MY_HOST=0.0.0.0\nEnvironment=OLLAMA_HOST=0.0.0.0\n");
        Path memo = Files.createTempDirectory(root, "memo");
        String audit = auditSection();
        String mine = new EnvFilesFact(List.of("MY_HOST"), unitDirs()).script();
        String expected = run(mine, null);
        assertEquals(run(audit, null), run(audit, memo));
        assertEquals(expected, run(mine, memo), "not the audit's search for OLLAMA_HOST");
        assertTrue(expected.contains("@@file " + root + "/etc/systemd/system/app.service\t"), expected);
    }
}
