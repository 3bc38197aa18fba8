package dev.moat.compose;

/** A port entry, variable reference or compose file that cannot be read; the message says which and why. */
public class PortSyntaxException extends Exception {
    public PortSyntaxException(String message) {
        super(message);
    }
}
