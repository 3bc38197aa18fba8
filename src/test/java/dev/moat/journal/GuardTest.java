package dev.moat.journal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arms real detached reverts with the local sh (no systemd here: the setsid path). */
class GuardTest {
    @TempDir Path tmp;

    private int sh(String script) throws Exception {
        // A new session like an SSH exec's; the guard must outlive it.
        Process p = new ProcessBuilder("setsid", "-w", "sh", "-c", script).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private static void waitFor(Path p, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!Files.exists(p) && System.currentTimeMillis() < end) Thread.sleep(50);
    }

    @Test
    void anUnconfirmedChangeRevertsByItselfAfterTheSessionEnds() throws Exception {
        Guard g = new Guard(tmp.resolve("g").toString());
        Path marker = tmp.resolve("reverted");
        assertEquals(0, sh(g.arm("r1", 1, "echo done > '" + marker + "'", Duration.ofSeconds(1))));
        assertFalse(Files.exists(marker), "not before the timeout");
        waitFor(marker, 5000);
        assertTrue(Files.exists(marker), "the revert ran on its own after the arming session ended");
        assertEquals(Guard.FIRED, sh(g.disarm("r1", 1)), "disarming afterwards reports that it fired");
    }

    @Test
    void aConfirmedChangeIsDisarmedAndNeverReverts() throws Exception {
        Guard g = new Guard(tmp.resolve("g").toString());
        Path marker = tmp.resolve("reverted");
        assertEquals(0, sh(g.arm("r1", 2, "echo done > '" + marker + "'", Duration.ofSeconds(1))));
        assertEquals(0, sh(g.disarm("r1", 2)));
        Thread.sleep(2000);
        assertFalse(Files.exists(marker), "a disarmed guard never fires");
    }

    @Test
    void theRevertWaitsForAStepStillInFlightEvenAnOrphanedChildOfIt() throws Exception {
        Guard g = new Guard(tmp.resolve("g").toString());
        Path stepDone = tmp.resolve("step-done");
        Path order = tmp.resolve("order");
        assertEquals(0, sh(g.arm("r1", 7, "[ -f '" + stepDone + "' ] && echo after > '" + order + "' || echo before > '" + order + "'",
                Duration.ofSeconds(60))));
        // The step's shell ends at once, but leaves a child (as a killed run's in-flight ufw command would be) holding the lock.
        assertEquals(0, sh(g.stepPrefix("r1", 7) + "(sleep 1.5; touch '" + stepDone + "') >/dev/null 2>&1 &\nexit 0"));
        assertEquals(0, sh(g.fireNow("r1", 7)));
        assertEquals("after\n", Files.readString(order), "the revert ran only once the step's child had finished");
    }

    @Test
    void fireNowRevertsImmediatelyAndReportsTheRevertsStatus() throws Exception {
        Guard g = new Guard(tmp.resolve("g").toString());
        Path marker = tmp.resolve("reverted");
        assertEquals(0, sh(g.arm("r1", 3, "echo done > '" + marker + "'", Duration.ofSeconds(60))));
        assertEquals(0, sh(g.fireNow("r1", 3)));
        assertTrue(Files.exists(marker));
        assertEquals(0, sh(g.arm("r1", 4, "exit 5", Duration.ofSeconds(60))));
        assertEquals(5, sh(g.fireNow("r1", 4)), "a failing revert is reported, not hidden");
    }

    @Test
    void disarmingWhileTheRevertRunsWaitsForItInsteadOfKillingItHalfWay() throws Exception {
        Guard g = new Guard(tmp.resolve("g").toString());
        Path half = tmp.resolve("half"), done = tmp.resolve("done");
        String revert = "echo x > '" + half + "'; sleep 2; echo x > '" + done + "'";
        assertEquals(0, sh(g.arm("r1", 5, revert, Duration.ofSeconds(1))));
        waitFor(half, 5000);
        assertTrue(Files.exists(half), "the revert started");
        assertEquals(Guard.FIRED, sh(g.disarm("r1", 5)), "disarm reports the fired guard");
        assertTrue(Files.exists(done), "and the revert ran to its end");
    }

    @Test
    void aGuardWhoseRestoreFailedIsNotReportedAsRestored() throws Exception {
        Guard g = new Guard(tmp.resolve("g").toString());
        assertEquals(0, sh(g.arm("r1", 6, "exit 5", Duration.ofSeconds(1))));
        Thread.sleep(2500);
        assertEquals(Guard.FIRED_FAILED, sh(g.disarm("r1", 6)));
    }
}
