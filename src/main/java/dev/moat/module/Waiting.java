package dev.moat.module;

/**
 * A module that waits for the host to reach a state ({@code wait_for}): its reads are always
 * fresh (never the play's read-ahead), it may ask for a delay before the first look, and its plan
 * throws {@link NotYet} until the state is reached.
 */
public interface Waiting<A> {
    /** Seconds to wait before the first look. */
    double delay(A args);
}
