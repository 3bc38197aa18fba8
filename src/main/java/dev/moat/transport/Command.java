package dev.moat.transport;

import java.time.Duration;

/**
 * A shell script to run on a host. {@code stdin} may carry file contents (never a secret's
 * plaintext, which stays on the controller); {@code sensitive} keeps the script out of -v logs.
 */
public record Command(String script, byte[] stdin, boolean become, Duration timeout, boolean sensitive) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public Command {
        if (script == null) throw new IllegalArgumentException("script");
        if (stdin == null) stdin = new byte[0];
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
    }

    public static Command of(String script, boolean become) {
        return new Command(script, null, become, null, false);
    }

    public Command withStdin(byte[] bytes) {
        return new Command(script, bytes, become, timeout, sensitive);
    }
}
