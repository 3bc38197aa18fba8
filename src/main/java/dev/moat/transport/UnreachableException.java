package dev.moat.transport;

import java.io.IOException;

/** The host could not be reached or authenticated with, or its host key was refused (exit 3). */
public class UnreachableException extends IOException {
    public UnreachableException(String message) {
        super(message);
    }

    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
