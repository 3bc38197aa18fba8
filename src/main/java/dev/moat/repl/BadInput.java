package dev.moat.repl;

/** A line the shell cannot act on; its message is the one line the shell prints before going on. */
public final class BadInput extends RuntimeException {
    public BadInput(String message) {
        super(message);
    }
}
