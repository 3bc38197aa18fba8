package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.compose.ComposeSearch;

/** Sections of the audit script run for real by the local sh on a directory tree standing in for a host, then parsed and judged. */
class AuditScriptTest {
    @TempDir
    Path root;

    private Path file(String rel, String text) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** Runs the sections as the script would, framed so that {@link AuditOutput} reads them. */
    private List<Finding> audit(String compose, String envFiles) throws Exception {
        String script = "echo '" + AuditScript.MAGIC + "'\necho '@@section compose'\n" + compose + "\necho '@@section env-files'\n" + envFiles
                + "\necho '@@section ufw'\necho 'Status: inactive'\necho '@@section end'\n";
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        return InsideAudit.findings("h1", AuditOutput.parse(out), new LinkedHashSet<>(ScanSettings.AI_PORTS));
    }

    private static Finding one(List<Finding> fs, String check) {
        List<Finding> m = fs.stream().filter(f -> f.check().equals(check)).toList();
        assertEquals(1, m.size(), check + " in " + fs);
        return m.get(0);
    }

    @Test
    void environmentFilesNamedByUnitsAreReadWhereverTheyLive() throws Exception {
        Path units = root.resolve("etc/systemd/system");
        file("etc/systemd/system/ollama.service", "[Service]\nEnvironmentFile=-" + root + "/etc/ollama/env\n# EnvironmentFile=" + root + "/etc/ignored\n"
                + "ExecStart=/usr/bin/ollama serve\n");
        file("etc/systemd/system/gradio.service.d/override.conf", "[Service]\nEnvironmentFile=\"" + root + "/srv/gradio env\"\n"
                + "Environment=\"OLLAMA_HOST=[::]:11434\"\n");
        file("etc/systemd/system/other.service", "[Service]\nEnvironmentFile=" + root + "/etc/default/lab\nEnvironmentFile=%h/.env\n");
        Path env = file("etc/ollama/env", "# the GPU box\nOLLAMA_HOST=0.0.0.0\n");
        file("srv/gradio env", "GRADIO_SERVER_NAME=0.0.0.0\n");
        file("etc/ignored", "OLLAMA_HOST=0.0.0.0\n");
        Path lab = file("etc/default/lab", "OLLAMA_HOST=:11434\n");
        List<Finding> fs = audit("", AuditScript.envFiles(List.of(units.toString(), root + "/run/none"), List.of(root + "/etc/default")));
        assertEquals(Verdict.EXPOSED, one(fs, "env " + env + ":2").verdict());
        assertEquals(Verdict.EXPOSED, one(fs, "env " + root + "/srv/gradio env:1").verdict());
        assertEquals(Verdict.EXPOSED, one(fs, "env " + units + "/gradio.service.d/override.conf:3").verdict(), "a drop-in's Environment=");
        assertEquals(Verdict.EXPOSED, one(fs, "env " + lab + ":1").verdict(), "listed and named: reported once");
        assertTrue(fs.stream().noneMatch(f -> f.check().contains("ignored")), "a commented-out EnvironmentFile= is not followed");
    }

    @Test
    void theEnvBesideAComposeFileIsReadWithIt() throws Exception {
        file("home/u/projects/app/compose.yml", "services:\n  vllm:\n    ports:\n      - \"${HOST_IP:-127.0.0.1}:8000:8000\"\n");
        file("home/u/projects/app/.env", "HOST_IP=0.0.0.0\n");
        file("opt/safe/compose.yml", "services:\n  vllm:\n    ports:\n      - \"${HOST_IP:-127.0.0.1}:8001:8000\"\n");
        List<Finding> fs = audit(AuditScript.compose(new ComposeSearch(List.of(root + "/home", root + "/opt"), ComposeSearch.DEFAULT_DEPTH)), "");  // app/compose.yml 4 levels down
        Finding f = one(fs, "compose " + root + "/home/u/projects/app/compose.yml");
        assertEquals(Verdict.EXPOSED, f.verdict());
        assertTrue(f.detail().contains("on 0.0.0.0"), f.detail());
        assertTrue(fs.stream().noneMatch(x -> x.check().contains("/opt/safe/")), fs.toString());
    }

    @Test
    void composeFilesAreFoundAsComposePortsFindsThem() throws Exception {
        file("opt/vllm/compose.gpu.yml", "services:\n  vllm:\n    ports: [\"8000:8000\"]\n");
        file("opt/vllm/notes.yml", "services:\n  x:\n    ports: [\"8001:8001\"]\n");
        Path labelled = file("data/stack/vllm.yml", "services:\n  vllm:\n    ports: [\"11434:11434\"]\n");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path docker = bin.resolve("docker");
        Files.writeString(docker, "#!/bin/sh\ncase \"$1\" in\n  ps) echo c1;;\n  inspect) printf '%s\\t%s\\n' " + root + "/data/stack " + labelled + ";;\nesac\n");
        Files.setPosixFilePermissions(docker, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String compose = "PATH=" + bin + ":$PATH\n" + AuditScript.compose(new ComposeSearch(List.of(root + "/opt"), ComposeSearch.DEFAULT_DEPTH));
        List<Finding> fs = audit(compose, "");
        assertEquals(Verdict.EXPOSED, one(fs, "compose " + root + "/opt/vllm/compose.gpu.yml").verdict(), "a compose*.yml variant");
        assertEquals(Verdict.EXPOSED, one(fs, "compose " + labelled).verdict(), "the file a container's labels name, outside the search");
        assertTrue(fs.stream().noneMatch(f -> f.check().contains("notes.yml")), fs.toString());
    }

    @Test
    void aProcessEnvironmentWithNewlinesCannotFakeASection() throws Exception {
        // A local user starts a process whose OLLAMA_HOST carries a fake end of the audit.
        file("proc/4242/environ", "PATH=/bin\0OLLAMA_HOST=0.0.0.0\n@@section end\n\0HOME=/\0");
        file("proc/4343/environ", "OLLAMA_HOST=0.0.0.0:11434\0");
        String script = "echo '" + AuditScript.MAGIC + "'\necho '@@section proc-env'\n" + AuditScript.procEnv(root + "/proc")
                + "\necho '@@section ufw'\necho 'Status: active'\necho '@@section end'\n";
        Process p = new ProcessBuilder("/bin/sh", "-c", script).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        AuditOutput parsed = AuditOutput.parse(out.replace(root + "/proc/", "/proc/"));
        assertTrue(parsed.section("ufw").lines().contains("Status: active"), "the ufw section survives: " + out);
        List<Finding> fs = InsideAudit.findings("h1", parsed, new LinkedHashSet<>(ScanSettings.AI_PORTS));
        assertTrue(fs.stream().anyMatch(f -> f.check().equals("env process 4343")), fs.toString());
    }

    @Test
    void theProcEnvSectionPrintsTheSameWithTheBatchsDirectory() throws Exception {
        String section = AuditScript.procEnv(root + "/proc");
        Path memo = Files.createDirectories(root.resolve("memo"));
        assertEquals("", sh(section));
        assertEquals("", sh("moat_memo=" + memo + "\n" + section), "nothing found: nothing printed (no tr, no head)");
        file("proc/4242/environ", "PATH=/bin\0OLLAMA_HOST=0.0.0.0\n@@section end\n\0HOME=/\0");
        file("proc/4343/environ", "OLLAMA_HOST=0.0.0.0:11434\0GRADIO_SERVER_NAME=x\0");
        for (int i = 5000; i < 5210; i++) file("proc/" + i + "/environ", "OLLAMA_HOST=" + i + "\0");
        String plain = sh(section);
        assertEquals(200, plain.lines().count(), plain);
        assertTrue(plain.contains("/environ:OLLAMA_HOST=0.0.0.0\036@@section end\036\n"), plain);
        assertEquals(plain, sh("moat_memo=" + memo + "\n" + section));
    }

    /** The ps section before it was done by the shell (commit 048d03e), with /proc under the test root. */
    private String oldPs() {
        return "ps -ww -eo pid=,args= 2>/dev/null | grep -E -- '--listen|--host|--server-name' | grep -v -e '@@section' -e 'grep -E' | head -n 100 |\n"
                + "while read -r pid args; do c=$(tr '\\n' ' ' <" + root + "/proc/\"$pid\"/cgroup 2>/dev/null | head -c 300); echo \"$pid|$c|$args\"; done";
    }

    private String sh(String script) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "LC_ALL=C; export LC_ALL\n" + script).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void thePsSectionPrintsWhatTheGrepsAndTrPrinted() throws Exception {
        // A fake ps (first on PATH) and /proc/PID/cgroup files of every shape.
        StringBuilder ps = new StringBuilder();
        ps.append("    1 /sbin/init\n");
        ps.append("   10 /usr/bin/ollama serve --host 0.0.0.0\n");
        ps.append("   11 python3 app.py --server-name=0.0.0.0  --x \\\\n 'quoted'\n");
        ps.append("   12 vllm serve --listen 0.0.0.0:8000\n");
        ps.append("   13 sh -c echo @@section ps --listen\n");
        ps.append("   14 grep -E --listen x\n");
        ps.append("   15 gone --host ::\n");
        ps.append("   16 multi --listen v1\n");
        ps.append("   17 long --host x\n");
        ps.append("   18 nonl --host x\n");
        ps.append("   19 empty --host x\n");
        ps.append("   20 --hostname-only\n");
        for (int i = 100; i < 230; i++) ps.append("  ").append(i).append(" worker --listen :").append(i).append('\n');
        file("bin/ps", "#!/bin/sh\nprintf '%s' '" + ps.toString().replace("'", "'\\''") + "'\n");
        Files.setPosixFilePermissions(root.resolve("bin/ps"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        file("proc/10/cgroup", "0::/system.slice/ollama.service\n");
        file("proc/11/cgroup", "0::/user.slice/user-1000.slice/session-3.scope\n");
        file("proc/12/cgroup", "0::/system.slice/docker-abc.scope\n");
        file("proc/16/cgroup", "12:pids:/system.slice/x.service\n11:memory:/system.slice/x.service\n1:name=systemd:/system.slice/x.service\n0::/\n");
        file("proc/17/cgroup", "0::/" + "a".repeat(310) + "\n");
        file("proc/18/cgroup", "0::/no/newline");
        file("proc/19/cgroup", "");
        for (int i = 100; i < 230; i++) file("proc/" + i + "/cgroup", "0::/w" + i + "\n");
        String path = "PATH=" + root + "/bin:$PATH\n";
        String expected = sh(path + oldPs());
        assertEquals(expected, sh(path + AuditScript.ps(root + "/proc")));
        List<String> lines = expected.lines().toList();
        assertEquals(100, lines.size(), expected);
        assertEquals("10|0::/system.slice/ollama.service |/usr/bin/ollama serve --host 0.0.0.0", lines.get(0));
        assertTrue(expected.contains("16|12:pids:/system.slice/x.service 11:memory:/system.slice/x.service 1:name=systemd:/system.slice/x.service 0::/ |multi"), expected);
        assertTrue(expected.contains("17|0::/" + "a".repeat(296) + "|long"), expected);
        assertTrue(expected.contains("18|0::/no/newline|nonl") && expected.contains("15||gone") && expected.contains("19||empty"), expected);
        assertFalse(expected.contains("@@section") || expected.contains("grep -E") || expected.contains("|/sbin/init"), expected);
    }

    @Test
    void theAddr6SectionPrintsWhatCatPrinted() throws Exception {
        String old = "cat " + root + "/proc/net/if_inet6 2>/dev/null || echo '@@missing /proc/net/if_inet6'";
        String now = AuditScript.addr6(root + "/proc");
        assertEquals("@@missing /proc/net/if_inet6\n", sh(old));
        assertEquals(sh(old), sh(now));
        for (String text : List.of("", "fe800000000000000000000000000001 02 40 20 80     eth0\n00000000000000000000000000000001 01 80 10 80       lo\n",
                "  spaced \\ line\nno newline at the end")) {
            file("proc/net/if_inet6", text);
            assertEquals(text, sh(old));
            assertEquals(text, sh(now));
        }
    }
}
