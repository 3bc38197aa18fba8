package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.ExitCode;
import dev.moat.transport.Command;

/**
 * {@code unarchive} through the engine with this machine as the host: a play extracting an archive
 * on the host and one from the controller (the playbook's files/) changes, and its rerun costs one
 * read round trip and nothing else: the controller archive's reads are known to the read-ahead
 * through {@code reads(args, ctx)}.
 */
class UnarchiveRunTest {
    @TempDir Path tmp;

    static final String PLAY = """
            - hosts: h1
              tasks:
                - unarchive: {src: TMP/host/app.tar.gz, dest: TMP/d1, remote_src: true}
                - unarchive: {src: app.zip, dest: TMP/d2}
                - unarchive: {src: app.tar.gz, dest: TMP/d3}
            """;

    @Test
    void aConvergedRerunIsOneRead() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "set -e; cd " + tmp + "; mkdir -p d1 d2 d3 host files c/app; printf 'port=80\\n' > c/app/conf;"
                + " cd c; tar -czf ../host/app.tar.gz app; zip -qr ../files/app.zip app; tar -czf ../files/app.tar.gz app").inheritIO().start();
        assertEquals(0, p.waitFor());
        LocalRun r = new LocalRun(tmp);
        assertEquals(ExitCode.OK, r.run(PLAY, "h1"), r.results::toString);
        assertTrue(r.results.stream().allMatch(TaskResult::changed), r.results::toString);
        r.reset();
        assertEquals(ExitCode.OK, r.run(PLAY, "h1"), r.results::toString);
        List<Command> commands = r.transports.get("h1").commands;
        assertEquals(1, commands.size(), "a converged rerun is one read: " + commands);
        assertTrue(r.results.stream().noneMatch(TaskResult::changed), r.results::toString);
    }
}
