package dev.moat.journal;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.moat.transport.ExecResult;

/** The one restore loop: its order, what it settles, and where it stops. */
class RestorerTest {
    private static final Restorer.Item PATH1 = new Restorer.Item(1, new Undo.RestorePath("/etc/a"), "write a");
    private static final Restorer.Item RELOAD = new Restorer.Item(2, new Undo.Reload("nginx"), "vhost");
    private static final Restorer.Item PATH3 = new Restorer.Item(3, new Undo.RestorePath("/etc/b"), "vhost");
    private static final Restorer.Item CMD = new Restorer.Item(4, new Undo.Irreversible("command 'x' ran"), "run x");
    private static final Restorer.Item FW = new Restorer.Item(5, new Undo.RestoreFirewall(), "ufw");

    /** Scripts that name the sequence number they restore, so the test sees the order. */
    private static final Journal JOURNAL = new Journal("/j");

    @Test
    void newestFirstAndReloadsAfterEveryRestore() {
        assertEquals(List.of(FW, CMD, PATH3, PATH1, RELOAD), Restorer.order(List.of(PATH1, RELOAD, PATH3, CMD, FW)));
    }

    @Test
    void restoresInOrderAndSettlesWhatCanNeverBeUndone() {
        List<String> ran = new ArrayList<>();
        Restorer.Outcome o = new Restorer(JOURNAL, "r1").restore(c -> {
            ran.add(c.script());
            return ok();
        }, List.of(PATH1, RELOAD, PATH3, CMD, FW));
        assertTrue(o.ok());
        assertTrue(o.complete());
        assertEquals(4, o.restored());
        assertEquals(4, ran.size(), "the irreversible entry runs nothing");
        assertTrue(ran.get(0).contains("/j/r1/5"), ran.get(0));
        assertTrue(ran.get(3).contains("/j/r1/2"), "the reload comes last: " + ran.get(3));
        assertEquals(List.of("command 'x' ran"), o.irreversible());
        assertEquals(List.of(FW, CMD, PATH3, PATH1, RELOAD), o.settled());
    }

    @Test
    void aFailedRestoreIsReportedAndTheRestAreStillTried() {
        Restorer.Outcome o = new Restorer(JOURNAL, "r1").restore(
                c -> c.script().contains("/j/r1/3") ? new ExecResult(1, new byte[0], "tar: broken\nmore".getBytes(StandardCharsets.UTF_8)) : ok(),
                List.of(PATH1, PATH3, FW));
        assertEquals(List.of("/etc/b (from 'vhost'): tar: broken ..."), o.problems());
        assertEquals(List.of(FW, PATH1), o.settled());
        assertTrue(o.complete());
    }

    @Test
    void aHostThatStopsAnsweringEndsTheRestore() {
        Restorer.Outcome o = new Restorer(JOURNAL, "r1").restore(c -> {
            throw new IOException("connection reset");
        }, List.of(PATH1, FW));
        assertFalse(o.complete());
        assertEquals(List.of("the firewall (/etc/ufw and its state) (from 'ufw'): connection reset"), o.problems());
        assertEquals(List.of(), o.settled());
    }

    private static ExecResult ok() {
        return new ExecResult(0, new byte[0], new byte[0]);
    }
}
