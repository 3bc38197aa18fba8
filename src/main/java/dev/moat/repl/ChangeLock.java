package dev.moat.repl;

import java.io.IOException;
import java.util.List;

import dev.moat.transport.Transport;

/**
 * The README's "one run per host at a time" remote lock as the shell takes it: only while it applies
 * a change (a module run outside check mode, {@code :play}, {@code :undo}, a {@code !} command
 * outside check mode), never while it sits at the prompt, so an idle shell never blocks a fleet
 * run. {@link RemoteChangeLock} is the real lock; {@link #NONE} takes none.
 */
public interface ChangeLock {
    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();

        /** What taking the lock did to the host that the user must hear (a killed run's change reverted). */
        default List<String> notices() {
            return List.of();
        }
    }

    /** Holds nothing: what a command that changes nothing "takes". */
    Held NOTHING = () -> {};

    /**
     * Takes the lock on the host for the shell's {@code runId}; {@code holder} says who and what,
     * for the message a second run sees.
     *
     * @throws IOException when the lock is held by another run (its message names the holder), or
     *                     could not be taken
     */
    Held acquire(Transport host, String runId, String holder) throws IOException;

    /** No remote lock: every acquire succeeds at once. */
    ChangeLock NONE = (host, runId, holder) -> NOTHING;
}
