package dev.moat.repl;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;

class SessionTransportTest {
    /** A connection that is lost after {@code lives} commands, the way SshTransport reports it. */
    static final class Conn implements Transport {
        final int id;
        int lives;
        boolean midCommand;
        boolean closed;
        final List<String> ran = new ArrayList<>();

        Conn(int id, int lives) {
            this.id = id;
            this.lives = lives;
        }

        @Override public String host() { return "h1"; }

        @Override
        public ExecResult exec(Command c) throws IOException {
            if (lives-- <= 0) {
                // Found dead before starting: no cause. Lost while running: the transport's error as cause.
                throw midCommand ? new UnreachableException("lost", new IOException("broken pipe")) : new UnreachableException("lost");
            }
            ran.add(c.script());
            return new ExecResult(0, ("conn" + id).getBytes(), new byte[0]);
        }

        @Override public void close() { closed = true; }
    }

    final List<Conn> opened = new ArrayList<>();
    final List<String> notices = new ArrayList<>();

    SessionTransport open(int... lives) throws IOException {
        return new SessionTransport(() -> {
            if (opened.size() >= lives.length) throw new UnreachableException("connection refused");
            Conn c = new Conn(opened.size() + 1, lives[opened.size()]);
            opened.add(c);
            return c;
        }, notices::add);
    }

    @Test
    void aConnectionFoundDeadIsReplacedOnceAndTheCommandRunsOnTheNewOne() throws IOException {
        SessionTransport t = open(1, 5);
        assertEquals("conn1", t.exec(Command.of("a", false)).out());
        assertEquals("conn2", t.exec(Command.of("b", false)).out());
        assertEquals(List.of("the connection to h1 dropped; reconnected"), notices);
        assertTrue(opened.get(0).closed);
        assertEquals(List.of("b"), opened.get(1).ran);
        assertEquals("conn2", t.borrowed().exec(Command.of("c", false)).out());
    }

    @Test
    void aCommandCutOffMidwayIsNotRunAgain() throws IOException {
        SessionTransport t = open(0, 5);
        opened.get(0).midCommand = true;
        UnreachableException e = assertThrows(UnreachableException.class, () -> t.exec(Command.of("rm x", false)));
        assertTrue(e.getMessage().contains("may or may not have run"), e.getMessage());
        assertEquals(List.of(), opened.get(1).ran, "not retried");
        assertEquals("conn2", t.exec(Command.of("next", false)).out(), "the next command uses the new connection");
        assertEquals(1, notices.size());
    }

    @Test
    void reconnectingOnlyOnce() throws IOException {
        SessionTransport t = open(0, 0);
        UnreachableException e = assertThrows(UnreachableException.class, () -> t.exec(Command.of("a", false)));
        assertEquals("lost", e.getMessage(), "the retry's own loss is reported, not retried again");
        assertEquals(2, opened.size());
    }

    @Test
    void aReconnectThatFailsSaysSo() throws IOException {
        SessionTransport t = open(0);
        UnreachableException e = assertThrows(UnreachableException.class, () -> t.exec(Command.of("a", false)));
        assertTrue(e.getMessage().contains("reconnecting failed: connection refused"), e.getMessage());
    }

    @Test
    void borrowedCloseLeavesTheConnectionOpenAndFreshIsANewOne() throws IOException {
        SessionTransport t = open(5, 5);
        t.borrowed().close();
        assertFalse(opened.get(0).closed);
        try (Transport f = t.fresh()) {
            assertEquals("conn2", f.exec(Command.of("true", false)).out());
        }
        t.close();
        assertTrue(opened.get(0).closed);
    }
}
