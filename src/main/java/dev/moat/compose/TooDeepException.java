package dev.moat.compose;

/**
 * Variable defaults nested deeper than moat reads ({@code ${A:-${B:-${C:-...}}}}). Unlike other
 * {@link PortSyntaxException}s, Compose itself may accept the entry, so the port it publishes is
 * unknown: the task fails rather than leave it as it is.
 */
public final class TooDeepException extends PortSyntaxException {
    TooDeepException(int max) {
        this("variable defaults nested more than " + max + " levels deep; moat reads no deeper");
    }

    private TooDeepException(String message) {
        super(message);
    }

    /** The same refusal, prefixed with where it happened ({@code file:line}). */
    TooDeepException at(String where) {
        return new TooDeepException(where + ": " + getMessage());
    }
}
