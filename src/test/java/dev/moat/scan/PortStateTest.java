package dev.moat.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

import org.junit.jupiter.api.Test;

/** The classification of connect outcomes, with injected exceptions (a real DROP firewall is not available to unit tests). */
class PortStateTest {
    @Test
    void handshakeIsOpenResetIsClosed() {
        assertEquals(PortState.OPEN, PortState.classify(null, false));
        assertEquals(PortState.CLOSED, PortState.classify(new ConnectException("Connection refused"), false));
    }

    @Test
    void silenceAndIcmpUnreachableAreFiltered() {
        assertEquals(PortState.FILTERED, PortState.classify(null, true));
        assertEquals(PortState.FILTERED, PortState.classify(new NoRouteToHostException("No route to host"), false));
        assertEquals(PortState.FILTERED, PortState.classify(new ConnectException("Host is unreachable"), false));
        assertEquals(PortState.FILTERED, PortState.classify(new SocketException("Network is unreachable"), false));
        assertEquals(PortState.FILTERED, PortState.classify(new java.net.SocketTimeoutException("connect timed out"), false));
    }
}
