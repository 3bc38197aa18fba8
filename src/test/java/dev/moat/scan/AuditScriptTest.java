package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit script, run for real with the local sh: valid shell, read-only, tolerant of missing tools. */
class AuditScriptTest {
    private static String run(String script, Path cwd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script did not end");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The script with its PATH replaced: only {@code dir}. */
    private static String withPath(String script, Path dir) {
        String first = script.substring(0, script.indexOf(';'));
        assertTrue(first.startsWith("PATH="), first);
        return "PATH=" + dir + script.substring(script.indexOf(';'));
    }

    private static Path toolbox(Path dir, String... tools) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String t : tools) {
            for (String d : List.of("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/")) {
                if (Files.isExecutable(Path.of(d + t))) {
                    fake(bin, t, "exec " + d + t + " \"$@\"");
                    break;
                }
            }
        }
        return bin;
    }

    private static void fake(Path bin, String name, String body) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void runsOnThisMachineAndEverySectionParses(@TempDir Path tmp) throws Exception {
        String out = run(AuditScript.script(List.of(tmp.toString())), tmp);
        AuditOutput a = AuditOutput.parse(out);
        for (String s : List.of("ss", "docker", "dnat", "ufw", "compose", "env-files", "proc-env", "ps", "end")) {
            assertTrue(a.sections().containsKey(s), "no section " + s + " in\n" + out);
        }
        // Whatever this machine has, the rules run on it without failing.
        InsideAudit.findings("local", a, Set.copyOf(ScanSettings.AI_PORTS), List.of(tmp.toString()));
        assertTrue(a.section("ps").lines().stream().noneMatch(l -> l.contains("@@section")), "the audit found itself in ps");
    }

    @Test
    void saysWhatIsNotInstalledAndFallsBackToProcNetTcp(@TempDir Path tmp) throws Exception {
        Path bin = toolbox(tmp, "sh", "grep", "sed", "head", "sort", "find", "tr", "ps", "cat");
        String out = run(withPath(AuditScript.script(List.of(tmp.toString())), bin), tmp);
        AuditOutput a = AuditOutput.parse(out);
        assertEquals("ss not installed", a.section("ss").problem());
        assertEquals("docker not installed", a.section("docker").problem());
        assertEquals("iptables not installed", a.section("dnat").problem());
        assertEquals("ufw not installed", a.section("ufw").problem());
        assertTrue(a.section("ss").lines().stream().allMatch(l -> l.startsWith("proc ")), out);
    }

    @Test
    void feedsTheParsersWhatTheToolsPrintAndFindsComposeFilesToDepthThree(@TempDir Path tmp) throws Exception {
        Path bin = toolbox(tmp, "sh", "grep", "sed", "head", "sort", "find", "tr", "ps", "cat");
        fake(bin, "ss", "echo 'LISTEN 0 4096 0.0.0.0:8000 0.0.0.0:* users:((\"docker-proxy\",pid=7,fd=4))'");
        fake(bin, "docker", "case \"$1\" in ps) echo c0ffee;; inspect) [ \"$4\" = c0ffee ] || exit 1;"
                + " echo '/ai_vllm_1|/opt/ai/docker-compose.yml|vllm|8000/tcp=0.0.0.0:8000 ';; esac");
        fake(bin, "iptables", "[ \"$*\" = '-w 5 -t nat -S DOCKER' ] || exit 2; echo '-N DOCKER';"
                + " echo '-A DOCKER ! -i br-1 -p tcp -m tcp --dport 8000 -j DNAT --to-destination 172.18.0.2:8000'");
        fake(bin, "ufw", "printf 'Status: active\\n\\nTo Action From\\n22/tcp ALLOW Anywhere\\n'");
        Path search = Files.createDirectories(tmp.resolve("opt"));
        Files.createDirectories(search.resolve("ai/x"));
        Files.writeString(search.resolve("ai/x/docker-compose.yml"), "services:\n  vllm:\n    ports:\n      - \"8000:8000\"\n");
        Files.writeString(search.resolve("ai/x/docker-compose.override.yml"), "@@section end\n");
        Files.createDirectories(search.resolve("a/b/c"));
        Files.writeString(search.resolve("a/b/c/compose.yaml"), "services:\n  deep:\n    ports: [\"9090:9090\"]\n");
        String out = run(withPath(AuditScript.script(List.of(search.toString(), tmp.resolve("missing").toString())), bin), tmp);
        AuditOutput a = AuditOutput.parse(out);
        assertEquals(List.of(search.resolve("ai/x/docker-compose.override.yml").toString(), search.resolve("ai/x/docker-compose.yml").toString()),
                List.copyOf(a.composeFiles().keySet()), out);
        assertEquals("@@section end\n", a.composeFiles().get(search.resolve("ai/x/docker-compose.override.yml").toString()), "file content stays content");
        List<Finding> fs = InsideAudit.findings("h", a, Set.copyOf(ScanSettings.AI_PORTS), List.of(search.toString()));
        for (String check : List.of("listener 0.0.0.0:8000", "container ai_vllm_1", "dnat 8000", "compose " + search.resolve("ai/x/docker-compose.yml"))) {
            assertTrue(fs.stream().anyMatch(f -> f.check().equals(check) && f.verdict() == Verdict.EXPOSED), check + " in " + fs);
        }
        Finding c = fs.stream().filter(f -> f.check().equals("container ai_vllm_1")).findFirst().orElseThrow();
        assertTrue(c.fix().contains("add /opt/ai to compose_search"), c.fix());
    }
}
