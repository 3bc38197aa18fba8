package dev.moat;

/**
 * An error that ends a command with a known exit code and a one-paragraph message for the user.
 * The message already names the place (file:line:column, host or argument); the CLI prints it
 * without a stack trace unless --debug.
 */
public class MoatException extends RuntimeException {
    private final int exitCode;

    public MoatException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public MoatException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static MoatException usage(String message) {
        return new MoatException(ExitCode.USAGE, message);
    }

    public static MoatException invalid(String message) {
        return new MoatException(ExitCode.INVALID, message);
    }
}
