package dev.moat.transport;

import java.io.IOException;

/**
 * sudo refused to run a {@code become} command: it wants a password that was not given, the
 * password was wrong, or the user may not use sudo. The host is reachable, so this fails the
 * task (exit 1), unlike {@link UnreachableException}. The message names the host.
 */
public class BecomeException extends IOException {
    public BecomeException(String message) {
        super(message);
    }
}
