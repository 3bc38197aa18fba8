package dev.moat.repl;

import java.io.IOException;

import dev.moat.transport.Transport;

/**
 * The hook for DESIGN.md's "one run per host at a time" remote lock, which does not exist yet.
 * The shell holds it only while it applies a change (a module run outside check mode, {@code :play},
 * {@code :undo}), never while it sits at the prompt, so a fleet run is not blocked by an idle shell.
 * {@link #NONE} takes no lock; the real lock plugs in here.
 */
public interface RemoteLock {
    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock on the host for {@code holder} (who and what, for the message a second run sees).
     *
     * @throws IOException when the lock is held by another run: its message names the holder
     */
    Held acquire(Transport host, String holder) throws IOException;

    /** No remote lock yet: every acquire succeeds at once. */
    RemoteLock NONE = (host, holder) -> () -> {};
}
