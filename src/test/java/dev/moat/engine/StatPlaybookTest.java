package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.ExitCode;

/**
 * The stat module in playbooks run by the engine on this machine: what a registered result gives
 * later tasks is what Ansible gives them ({@code src/test/resources/stat/registered.yml} run by both;
 * Ansible's answer is {@code registered.json} there), its reads join the host's one batched read,
 * and a stat after a task that changed its path reads again.
 */
class StatPlaybookTest {
    private static final Path FIXTURES = Path.of("src/test/resources/stat");

    @TempDir
    Path tmp;

    @Test
    void registeredResultsAreAnsibles() throws Exception {
        Files.writeString(tmp.resolve("file.txt"), "hello\n");
        Files.setPosixFilePermissions(tmp.resolve("file.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(tmp.resolve("link"), Path.of("file.txt"));
        LocalRun run = new LocalRun(tmp);
        assertEquals(ExitCode.OK, run.run(Files.readString(FIXTURES.resolve("registered.yml")), "h1"), run.results.toString());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(FIXTURES.resolve("registered.json").toFile()), json.readTree(tmp.resolve("registered.json").toFile()));
    }

    @Test
    void statsJoinTheOneBatchedReadAndNeverChangeAnything() throws Exception {
        Files.writeString(tmp.resolve("a"), "a\n");
        Files.setPosixFilePermissions(tmp.resolve("a"), PosixFilePermissions.fromString("rw-r--r--"));
        String play = """
                - hosts: all
                  tasks:
                    - name: a
                      stat: {path: TMP/a}
                    - name: missing
                      stat: {path: TMP/missing, follow: true}
                    - file: {path: TMP/a, mode: "0644"}
                """;
        for (boolean check : new boolean[] {false, true}) {
            LocalRun run = new LocalRun(tmp);
            run.options = new RunOptions(check, true, 10, null, null, null, false);
            assertEquals(ExitCode.OK, run.run(play, "h1"), "no drift, check mode " + check);
            assertEquals(1, run.transports.get("h1").scripts.size(), "one batched read, nothing else: " + run.transports.get("h1").scripts);
            assertTrue(run.results.stream().allMatch(r -> r.status() == Status.OK), run.results.toString());
            assertEquals(Map.of("exists", false), run.task("h1", "missing").registered().get("stat"));
            assertEquals("0644", ((Map<?, ?>) run.task("h1", "a").registered().get("stat")).get("mode"));
        }
    }

    @Test
    void aStatAfterATaskThatChangedItsPathReadsItAgain() throws Exception {
        LocalRun run = new LocalRun(tmp);
        String play = """
                - hosts: all
                  tasks:
                    - name: before
                      stat: {path: TMP/f}
                    - copy: {dest: TMP/f, content: "new\\n"}
                    - name: after
                      stat: {path: TMP/f}
                """;
        assertEquals(ExitCode.OK, run.run(play, "h1"), run.results.toString());
        assertEquals(Map.of("exists", false), run.task("h1", "before").registered().get("stat"));
        Map<?, ?> after = (Map<?, ?>) run.task("h1", "after").registered().get("stat");
        assertEquals(true, after.get("exists"), "the stat read before the copy is read again after it");
        assertEquals(4L, after.get("size"));
    }
}
