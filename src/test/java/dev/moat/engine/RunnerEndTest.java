package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.journal.RemoteLock;
import dev.moat.transport.Command;

/**
 * The end of a changing run costs each host one command, sent to every host at once: the post-run
 * seal (for {@code moat rollback}) and the lock's release together. A rerun with nothing to change
 * costs three commands per host: take the lock, read, release.
 */
class RunnerEndTest {
    static final String PLAY = """
            - hosts: all
              tasks:
                - copy: {dest: "TMP/{{ inventory_hostname }}.txt", content: "x\\n"}
            """;

    @Test
    void sealAndReleaseTravelTogetherAndARerunCostsThreeCommands(@TempDir Path tmp) throws Exception {
        RemoteLock lock = new RemoteLock(tmp.resolve("lock-" + LocalTransport.HOST).toString());
        LocalRun first = new LocalRun(tmp);
        first.lock = lock;
        assertEquals(0, first.run(PLAY, "h1", "h2"));
        for (String h : List.of("h1", "h2")) {
            List<Command> sent = first.transports.get(h).commands;
            Command last = sent.get(sent.size() - 1);
            assertTrue(last.script().contains(lock.release(first.runId)), h + ": the last command releases the lock");
            assertTrue(last.script().contains("/post"), h + ": and seals the journal entry in the same command");
            assertEquals(1, sent.stream().filter(c -> c.script().contains(lock.release(first.runId))).count());
            assertFalse(Files.exists(tmp.resolve("lock-" + h).resolve("lock.info")), h + ": the lock is free again");
        }

        LocalRun rerun = new LocalRun(tmp);
        rerun.lock = lock;
        assertEquals(0, rerun.run(PLAY, "h1", "h2"));
        for (String h : List.of("h1", "h2")) {
            assertEquals(3, rerun.transports.get(h).commands.size(), h + ": lock, one read, release");
        }
    }
}
