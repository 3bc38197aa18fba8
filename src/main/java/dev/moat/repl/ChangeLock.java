package dev.moat.repl;

import java.io.IOException;

import dev.moat.transport.Transport;

/**
 * The shell's hook for DESIGN.md's "one run per host at a time" remote lock, which did not exist
 * when the shell was written. The shell holds it only while it applies a change (a module run
 * outside check mode, {@code :play}, {@code :undo}, a {@code !} command), never while it sits at the
 * prompt, so an idle shell never blocks a fleet run. {@link #NONE} takes no lock; the real remote
 * lock plugs in here.
 */
public interface ChangeLock {
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
    ChangeLock NONE = (host, holder) -> () -> {};
}
