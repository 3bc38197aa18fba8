package dev.moat.journal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real flock holders with the local sh; the "session" is a sleep process we can end. */
class RemoteLockTest {
    @TempDir Path tmp;

    record Out(int rc, String out) {}

    private Out sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Out(p.waitFor(), out);
    }

    /** Runs the acquire script as the child of a long-lived "session" process; returns that process. */
    private Process session(String script) throws Exception {
        // 'sh acquire; exec sleep 600': the acquire script's parent walk finds no sshd, so the
        // holder watches its parent shell, which then lives on as the sleep.
        Path f = tmp.resolve("s" + System.nanoTime() + ".sh");
        java.nio.file.Files.writeString(Path.of(f + ".acquire"), script);
        java.nio.file.Files.writeString(f, "sh " + f + ".acquire\necho rc=$? > " + f + ".rc\nexec sleep 600\n");
        Process p = new ProcessBuilder("sh", f.toString()).start();
        Path rc = Path.of(f + ".rc");
        for (int i = 0; i < 100 && !java.nio.file.Files.exists(rc); i++) Thread.sleep(50);
        Thread.sleep(100);
        lastRc = java.nio.file.Files.readString(rc).strip();
        return p;
    }

    private String lastRc;

    @Test
    void aSecondRunIsRefusedNamingTheHolderAndTheLockDiesWithTheSession() throws Exception {
        RemoteLock lock = new RemoteLock(tmp.resolve("moat").toString());
        Process first = session(lock.acquire("run-1", "alice@laptop apply"));
        try {
            assertEquals("rc=0", lastRc);
            Out second = sh(lock.acquire("run-2", "bob@desk apply"));
            assertEquals(RemoteLock.HELD, second.rc(), second.out());
            assertTrue(second.out().contains("run-1 started"), second.out());
            assertTrue(second.out().contains("alice@laptop"), second.out());
        } finally {
            first.destroyForcibly().waitFor(); // the controller's session dies without releasing
        }
        Thread.sleep(2500); // the holder polls its session every second
        Process third = session(lock.acquire("run-3", "carol@ci apply"));
        try {
            assertEquals("rc=0", lastRc, "a dead run's lock is taken over");
            assertEquals(0, sh(lock.release("run-3")).rc());
            Thread.sleep(300);
            Process fourth = session(lock.acquire("run-4", "dave apply"));
            assertEquals("rc=0", lastRc, "released at once");
            fourth.destroyForcibly().waitFor();
        } finally {
            third.destroyForcibly().waitFor();
        }
    }

    @Test
    void releaseDoesNotTouchAnotherRunsLock() throws Exception {
        RemoteLock lock = new RemoteLock(tmp.resolve("moat").toString());
        Process first = session(lock.acquire("run-1", "alice"));
        try {
            assertEquals("rc=0", lastRc);
            sh(lock.release("run-2"));
            assertEquals(RemoteLock.HELD, sh(lock.acquire("run-3", "x")).rc());
        } finally {
            first.destroyForcibly().waitFor();
        }
    }
}
