package dev.moat.repl;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Journal;
import dev.moat.journal.Ledger;
import dev.moat.journal.Undo;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;

class UndoLogTest {
    /** Runs nothing; answers each script with the next exit status (0 when none is left) and keeps the scripts. */
    static final class Host implements Transport {
        final List<String> scripts = new ArrayList<>();
        final List<Integer> statuses = new ArrayList<>();
        boolean gone;

        @Override public String host() { return "h1"; }

        @Override
        public ExecResult exec(Command c) throws IOException {
            if (gone) throw new IOException("connection reset");
            scripts.add(c.script());
            int rc = statuses.isEmpty() ? 0 : statuses.remove(0);
            return new ExecResult(rc, new byte[0], (rc == 0 ? "" : "tar: cannot open").getBytes());
        }

        @Override public void close() {}
    }

    private final Journal journal = new Journal("/j");
    private final UndoLog log = new UndoLog(journal, "RUN");

    /** A run of the engine: its own ledger, numbered from 1, with these undos. */
    private void run(String command, Undo... undos) {
        SessionSnapshots snaps = log.snapshots();
        Ledger ledger = new Ledger(new AtomicInteger());
        for (Undo u : undos) {
            int seq = ledger.nextSeq();
            assertTrue(snaps.snapshot("RUN", seq, u).contains("/j/RUN/" + snaps.map(seq)), "snapshots go to the shifted entry");
            ledger.add(new Ledger.Entry(seq, u, command, null, 0, false));
        }
        log.record(ledger, snaps, command);
    }

    @Test
    void eachRunNumbersItsEntriesAfterTheLastRunsAndUndoTakesTheNewestCommandFirst() throws Exception {
        run("copy a", new Undo.RestorePath("/etc/a"));
        run("file b", new Undo.RestorePath("/etc/b1"), new Undo.RestorePath("/etc/b2"));
        Host h = new Host();
        UndoLog.Report r = log.undo(h);
        assertEquals("file b", r.command());
        assertEquals(List.of("/etc/b2", "/etc/b1"), r.restored(), "newest first");
        assertTrue(h.scripts.get(0).contains("d=/j/RUN/3"), h.scripts.get(0));
        assertTrue(h.scripts.get(1).contains("d=/j/RUN/2"), h.scripts.get(1));
        assertTrue(r.complete());
        r = log.undo(h);
        assertEquals("copy a", r.command());
        assertTrue(h.scripts.get(2).contains("d=/j/RUN/1"));
        assertNull(log.undo(h), "nothing left");
        assertTrue(log.isEmpty());
    }

    @Test
    void whatFailsStaysForTheNextUndoAndIrreversibleIsReportedOnce() throws Exception {
        run("shell x", new Undo.Irreversible("the command 'x'"), new Undo.RestorePath("/etc/x"));
        Host h = new Host();
        h.statuses.add(5);
        UndoLog.Report r = log.undo(h);
        assertEquals(List.of("/etc/x (from 'shell x'): tar: cannot open"), r.problems());
        assertEquals(List.of("the command 'x'"), r.irreversible());
        assertFalse(r.complete());
        r = log.undo(h);
        assertEquals(List.of("/etc/x"), r.restored(), "tried again");
        assertEquals(List.of(), r.irreversible(), "said once");
        assertTrue(r.complete());
    }

    @Test
    void entriesTheRunRolledBackItselfAreNotUndoneAgain() throws Exception {
        SessionSnapshots snaps = log.snapshots();
        Ledger ledger = new Ledger(new AtomicInteger());
        ledger.add(new Ledger.Entry(ledger.nextSeq(), new Undo.RestorePath("/etc/y"), "copy y", null, 0, false));
        ledger.markRestored(1);
        log.record(ledger, snaps, "copy y");
        assertTrue(log.isEmpty());
        run("copy z", new Undo.RestorePath("/etc/z"));
        Host h = new Host();
        log.undo(h);
        assertTrue(h.scripts.get(0).contains("d=/j/RUN/2"), "numbered after the rolled-back entry: " + h.scripts.get(0));
    }

    @Test
    void reloadsComeAfterEveryRestoreOfTheCommand() throws Exception {
        run("nginx_vhost", new Undo.RestorePath("/etc/nginx/a"), new Undo.Reload("nginx"),
                new Undo.RestorePath("/etc/nginx/b"));
        UndoLog.Report r = log.undo(new Host());
        assertEquals(List.of("/etc/nginx/b", "/etc/nginx/a", "reload of nginx"), r.restored());
    }

    @Test
    void aHostThatStopsAnsweringEndsTheUndoAndKeepsTheCommandForTheNextOne() throws Exception {
        run("copy a", new Undo.RestorePath("/etc/a"));
        Host h = new Host();
        h.gone = true;
        UndoLog.Report r = log.undo(h);
        assertEquals(List.of("/etc/a (from 'copy a'): connection reset"), r.problems());
        assertFalse(r.complete());
        h.gone = false;
        assertEquals(List.of("/etc/a"), log.undo(h).restored());
    }
}
