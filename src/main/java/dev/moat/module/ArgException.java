package dev.moat.module;

/** An argument that does not fit the module's spec; the message names the argument. */
public class ArgException extends Exception {
    private final String arg;

    public ArgException(String arg, String message) {
        super(message);
        this.arg = arg;
    }

    /** The offending argument's name, or null when the message is about the whole task. */
    public String arg() {
        return arg;
    }
}
