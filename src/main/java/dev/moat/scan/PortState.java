package dev.moat.scan;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

/**
 * What a TCP connect found: {@code OPEN} (the handshake completed), {@code CLOSED} (the host
 * answered with a reset: nothing listens and nothing filters), {@code FILTERED} (no answer before
 * the timeout, or an ICMP "unreachable": a firewall drops or rejects it).
 */
public enum PortState {
    OPEN, CLOSED, FILTERED;

    /**
     * Classifies a connect attempt: {@code failure} is null when the handshake completed, else the
     * exception the connect ended with; {@code timedOut} when no answer came in time.
     */
    public static PortState classify(IOException failure, boolean timedOut) {
        if (timedOut) return FILTERED;
        if (failure == null) return OPEN;
        if (failure instanceof NoRouteToHostException) return FILTERED;
        if (failure instanceof ConnectException) {
            String m = String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT);
            // "Connection refused" is a RST; "No route to host"/"Host is unreachable" are ICMP (a REJECT rule or no host).
            return m.contains("refused") ? CLOSED : FILTERED;
        }
        if (failure instanceof java.net.SocketTimeoutException) return FILTERED;
        return FILTERED;
    }
}
