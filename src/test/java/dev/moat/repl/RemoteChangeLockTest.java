package dev.moat.repl;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.journal.Guard;
import dev.moat.journal.RemoteLock;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

/** The shell's lock is the host's real remote lock: run here with the local sh, as on a host. */
class RemoteChangeLockTest {
    @TempDir Path tmp;

    /** Runs scripts with the local sh (a stand-in for the shell's SSH session). */
    static final class LocalSh implements Transport {
        @Override public String host() { return "h1"; }
        @Override public void close() {}
        @Override public ExecResult exec(Command c) throws IOException {
            try {
                Process p = new ProcessBuilder("sh", "-c", c.script()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                byte[] out = p.getInputStream().readAllBytes();
                return new ExecResult(p.waitFor(), out, new byte[0]);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
    }

    @Test
    void whileTheShellHoldsItAnotherRunIsRefusedAndReleasingFreesIt() throws Exception {
        RemoteLock remote = new RemoteLock(tmp.toString(), new Guard(tmp.resolve("guard").toString()));
        ChangeLock lock = new RemoteChangeLock(remote);
        LocalSh host = new LocalSh();
        try (ChangeLock.Held held = lock.acquire(host, "shell-1", "moat shell (run shell-1): :undo")) {
            assertEquals(List.of(), held.notices());
            IOException e = assertThrows(IOException.class, () -> lock.acquire(host, "apply-2", "bob apply"));
            assertTrue(e.getMessage().contains("another moat run is changing this host: shell-1 started"), e.getMessage());
            assertTrue(e.getMessage().contains(":undo"), e.getMessage());
        }
        try (ChangeLock.Held again = lock.acquire(host, "apply-2", "bob apply")) {
            assertNotNull(again, "released when the shell's command ended");
        }
    }

    @Test
    void takingItRevertsAKilledRunsGuardFirstAndSaysSo() throws Exception {
        Guard guard = new Guard(tmp.resolve("guard").toString());
        Path marker = tmp.resolve("reverted");
        Process arm = new ProcessBuilder("setsid", "-w", "sh", "-c",
                guard.arm("killed", 2, "echo x > '" + marker + "'", Duration.ofSeconds(60))).redirectErrorStream(true).start();
        arm.getInputStream().readAllBytes();
        assertEquals(0, arm.waitFor());
        ChangeLock lock = new RemoteChangeLock(new RemoteLock(tmp.toString(), guard));
        try (ChangeLock.Held held = lock.acquire(new LocalSh(), "shell-1", "moat shell")) {
            assertTrue(Files.exists(marker), "reverted before the shell's command runs");
            assertEquals(List.of("a killed run's unconfirmed firewall/sshd change (run killed) was reverted before this run"), held.notices());
        }
    }
}
