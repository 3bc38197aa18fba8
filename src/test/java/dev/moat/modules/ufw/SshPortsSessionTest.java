package dev.moat.modules.ufw;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.facts.CommandOutput;

/**
 * The session's {@code SSH_CONNECTION} as {@link SshPorts#FACT} reads it from the environment of the
 * sshd process's child, run for real: the local sh, copied as {@code sshd} (so its name starts with
 * sshd), starts the read, whose walk up the ancestors finds it and reads the read's own environ. The
 * read as it was ({@code grep -az ... | tr '\000' '\n'}) and as it is ({@code grep -az} alone, one exec
 * fewer) must give the same {@link SshPorts}.
 */
class SshPortsSessionTest {
    static final String NOW = "grep -az '^SSH_CONNECTION=' \"/proc/$q/environ\"; echo; }";
    static final String BEFORE = "grep -az '^SSH_CONNECTION=' \"/proc/$q/environ\" | tr '\\000' '\\n'; }";

    @TempDir
    Path dir;

    private String run(String script, Map<String, String> env) throws Exception {
        Path sshd = dir.resolve("sshd");
        if (!Files.exists(sshd)) {
            Files.copy(Path.of("/bin/sh"), sshd);
            sshd.toFile().setExecutable(true);
        }
        Path file = dir.resolve("read.sh");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder(sshd.toString(), "-c", "/bin/sh " + file + "; :");
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return out;
    }

    private SshPorts[] both(Map<String, String> env) throws Exception {
        String now = SshPorts.FACT.script();
        assertTrue(now.contains(NOW) && !now.contains("tr '"), now);
        String before = now.replace(NOW, BEFORE);
        String a = run(before, env), b = run(now, env);
        assertTrue(b.contains("session "), "the walk found the sshd ancestor: " + b);
        return new SshPorts[] {SshPorts.parse(new CommandOutput(0, a, "")), SshPorts.parse(new CommandOutput(0, b, ""))};
    }

    @Test
    void theSessionsConnectionIsReadAsBefore() throws Exception {
        SshPorts[] r = both(Map.of("SSH_CONNECTION", "10.0.0.5 4000 10.0.0.9 2200"));
        assertEquals(r[0], r[1]);
        assertEquals(2200, r[1].connection());
        assertEquals("10.0.0.5", r[1].peer());
        assertEquals("10.0.0.9", r[1].local());
    }

    @Test
    void aValueWithANewlineOrAnotherVariableThatLooksLikeItReadsAsBefore() throws Exception {
        SshPorts[] r = both(Map.of("SSH_CONNECTION", "10.0.0.5 4000\n10.0.0.9 2200"));
        assertEquals(r[0], r[1]);
        assertNull(r[1].connection(), "not four words: no connection, as before");
        r = both(Map.of("A", "x\nSSH_CONNECTION=1.1.1.1 1 2.2.2.2 2", "SSH_CONNECTION", "10.0.0.5 4000 10.0.0.9 2222"));
        assertEquals(r[0], r[1]);
        assertEquals(2222, r[1].connection());
    }

    @Test
    void noConnectionInTheSessionNoLongerSwallowsAListener() throws Exception {
        SshPorts[] r = both(Map.of());
        assertEquals(r[0].connection(), r[1].connection());
        assertNull(r[1].connection());
        assertTrue(r[1].listening().containsAll(r[0].listening()) && r[1].configured().equals(r[0].configured()));
        String now = run(SshPorts.FACT.script(), Map.of());
        assertTrue(now.contains("session-env \n") || !now.contains("session-env"), "the empty match ends its line: " + now);
    }
}
