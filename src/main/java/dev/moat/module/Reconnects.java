package dev.moat.module;

/**
 * A module whose task ends with a new connection to the host ({@code reboot},
 * {@code wait_for_connection}): once its steps ran (a plan without steps waits too), the engine
 * closes the connection, waits as {@link #reconnect} says, and goes on over a fresh one: nothing
 * read before is trusted, so later tasks read the host as it is after the wait. Not in check mode.
 */
public interface Reconnects<A> {
    /** What to wait for, given the task's arguments and the facts it read. */
    Reconnect reconnect(A args, Facts facts) throws TaskException;
}
