package dev.moat.journal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.transport.ExecResult;

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
            long t0 = System.nanoTime();
            Out second = sh(lock.acquire("run-2", "bob@desk apply"));
            assertEquals(RemoteLock.HELD, second.rc(), second.out());
            assertTrue(System.nanoTime() - t0 < 1_500_000_000L, "a live holder's lock is refused at once, not waited for");
            assertTrue(second.out().contains("run-1 started"), second.out());
            assertTrue(second.out().contains("alice@laptop"), second.out());
        } finally {
            first.destroyForcibly().waitFor(); // the controller's session dies without releasing
        }
        // Right away, as a rerun straight after a SIGKILL would: the holder's session is gone, so the
        // new run waits the moment it takes the holder to notice.
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

    /** Arms a guard as a run's own SSH session would: in a session of its own, which then ends. */
    private void arm(Guard g, String runId, int seq, String revert, int seconds) throws Exception {
        Process p = new ProcessBuilder("setsid", "-w", "sh", "-c", g.arm(runId, seq, revert, java.time.Duration.ofSeconds(seconds)))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
    }

    /** Whether {@code pid} still runs: here nothing reaps orphans, so a killed one lingers as a zombie. */
    private static boolean running(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!java.nio.file.Files.exists(stat)) return false;
        String s = java.nio.file.Files.readString(stat);
        return !s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
    }

    @Test
    void takingTheLockFiresAKilledRunsUnconfirmedGuardAtOnceAndSaysSo() throws Exception {
        Path moat = tmp.resolve("moat");
        Guard guard = new Guard(moat.resolve("guard").toString());
        RemoteLock lock = new RemoteLock(moat.toString(), guard);
        Path log = tmp.resolve("reverts");
        // The killed run's guard would fire only in 60 s, underneath whatever runs next.
        arm(guard, "20250101T000000-dead", 3, "echo killed-run >> '" + log + "'", 60);
        String timer = java.nio.file.Files.readString(moat.resolve("guard/guard-20250101T000000-dead-3.armed")).strip();
        // This run's own guard (a shell session's earlier command) is not another run's: left alone.
        arm(guard, "run-2", 1, "echo own >> '" + log + "'", 60);
        // A guard its run confirmed is gone from the sweep; one its timer already fired is not run twice.
        arm(guard, "run-ok", 1, "echo confirmed >> '" + log + "'", 60);
        assertEquals(0, sh(guard.disarm("run-ok", 1)).rc());
        arm(guard, "run-old", 1, "echo old >> '" + log + "'", 1);
        for (int i = 0; i < 100 && !java.nio.file.Files.exists(moat.resolve("guard/guard-run-old-1.fired")); i++) Thread.sleep(50);

        Out taken = sh(lock.acquire("run-2", "bob apply"));
        try {
            assertEquals(0, taken.rc(), taken.out());
            assertEquals(List.of("old", "killed-run"), java.nio.file.Files.readAllLines(log),
                    "the killed run's revert ran before the lock was reported taken");
            List<StaleGuard> stale = StaleGuard.parse(taken.out());
            assertEquals(1, stale.size(), taken.out());
            assertEquals(new StaleGuard(0, "20250101T000000-dead", 3, moat.resolve("guard/guard-20250101T000000-dead-3.log").toString()),
                    stale.get(0));
            assertTrue(stale.get(0).describe().contains("(run 20250101T000000-dead) was reverted before this run"), stale.get(0).describe());
            long pid = Long.parseLong(timer.substring("pid:".length()));
            Thread.sleep(200);
            assertFalse(running(pid), "its timer was stopped");
            assertEquals(Guard.FIRED, sh(guard.disarm("20250101T000000-dead", 3)).rc(), "its own run would learn it fired");
        } finally {
            sh(lock.release("run-2"));
            sh(guard.disarm("run-2", 1));
        }
        Out again = sh(lock.acquire("run-3", "carol apply"));
        sh(lock.release("run-3"));
        assertEquals(0, again.rc(), again.out());
        assertTrue(StaleGuard.parse(again.out()).isEmpty(), "nothing is fired twice: " + again.out());
        assertEquals(List.of("old", "killed-run"), java.nio.file.Files.readAllLines(log));
    }

    @Test
    void aFailedStaleRevertIsReportedAsNotReverted() {
        List<StaleGuard> s = StaleGuard.parse("noise\n@@guard-reverted 5 r-9 2 /var/lib/moat/guard/guard-r-9-2.log\n");
        assertEquals(List.of(new StaleGuard(5, "r-9", 2, "/var/lib/moat/guard/guard-r-9-2.log")), s);
        assertFalse(s.get(0).reverted());
        assertTrue(s.get(0).describe().contains("could not be reverted (exit 5, see /var/lib/moat/guard/guard-r-9-2.log"), s.get(0).describe());
    }

    private static ExecResult result(int rc, String out, String err) {
        return new ExecResult(rc, out.getBytes(), err.getBytes());
    }

    @Test
    void outcomeReadsEveryAnswerOfAcquire() {
        RemoteLock.Outcome held = RemoteLock.outcome(result(RemoteLock.HELD, "run-1 started x by alice\n", ""));
        assertFalse(held.held());
        assertTrue(held.refusal().startsWith("another moat run is changing this host: run-1 started x by alice"), held.refusal());
        assertEquals("not changed: locked by another run", held.note());

        RemoteLock.Outcome broken = RemoteLock.outcome(result(1, "", "mkdir: Permission denied\n"));
        assertFalse(broken.held());
        assertEquals("could not take the host's moat lock (exit 1): mkdir: Permission denied", broken.refusal());

        RemoteLock.Outcome stale = RemoteLock.outcome(result(0, "@@guard-reverted 0 r1 3 /l1\n@@guard-reverted 5 r2 4 /l2\n", ""));
        assertTrue(stale.held() && stale.refused(), "taken, but the host is in no known state");
        assertEquals(1, stale.notices().size(), "the guard reverted before the failed one is still reported");
        assertTrue(stale.refusal().contains("run r2") && stale.refusal().endsWith("; not changing this host"), stale.refusal());

        RemoteLock.Outcome taken = RemoteLock.outcome(result(0, "@@guard-reverted 0 r1 3 /l1\n", ""));
        assertTrue(taken.held() && !taken.refused());
        assertEquals(List.of("a killed run's unconfirmed firewall/sshd change (run r1) was reverted before this run"), taken.notices());
    }

    @Test
    void whoNamesTheUserTheControllerAndWhatRuns() {
        String who = RemoteLock.who("moat rollback last");
        assertTrue(who.matches("\\Q" + System.getProperty("user.name") + "\\E@\\S+ \\(moat rollback last\\)"), who);
    }
}
