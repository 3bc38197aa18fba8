package dev.moat.module;

/**
 * Thrown by a {@link Waiting} module's plan when what it waits for has not happened yet: the
 * engine reads the host again after {@code sleep} seconds and plans anew, and fails the task with
 * this message once {@code timeout} seconds have passed since the first look.
 */
public final class NotYet extends TaskException {
    private final double sleep;
    private final double timeout;

    public NotYet(String timeoutMessage, double sleep, double timeout) {
        super(timeoutMessage);
        this.sleep = sleep;
        this.timeout = timeout;
    }

    public double sleep() {
        return sleep;
    }

    public double timeout() {
        return timeout;
    }
}
