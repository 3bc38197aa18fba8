package dev.moat.engine;

import java.io.IOException;

import dev.moat.transport.Transport;

/** How a host play gets a new connection to its host mid-run (after a reboot), and the host's lock with it. */
interface Reconnector {
    /** A fresh connection to {@code host}, as the run's first one was opened (same user, same host-key check). */
    Transport connect(String host) throws IOException;

    /** Releases this run's lock over the session's current connection, if it holds one (best effort). */
    void release(HostSession session);

    /** Takes this run's lock again over the session's fresh connection: null when held, else why not. */
    String relock(HostSession session);
}
