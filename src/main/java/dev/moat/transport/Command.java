package dev.moat.transport;

import java.time.Duration;

/**
 * A shell script to run on a host. {@code stdin} may carry file contents (never a secret's
 * plaintext, which stays on the controller); {@code sensitive} keeps the script out of -v logs.
 * With {@code become}, the script runs through sudo as {@code becomeUser} (a task's
 * {@code become_user}); null means the transport's default: the inventory's
 * {@code ansible_become_user}, else root.
 */
public record Command(String script, byte[] stdin, boolean become, String becomeUser, Duration timeout, boolean sensitive) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public Command {
        if (script == null) throw new IllegalArgumentException("script");
        if (stdin == null) stdin = new byte[0];
        if (timeout == null) timeout = DEFAULT_TIMEOUT;
        if (!become || (becomeUser != null && becomeUser.isBlank())) becomeUser = null;
    }

    /** A command run as the login user or, with {@code become}, as the transport's default become user. */
    public Command(String script, byte[] stdin, boolean become, Duration timeout, boolean sensitive) {
        this(script, stdin, become, null, timeout, sensitive);
    }

    public static Command of(String script, boolean become) {
        return new Command(script, null, become, null, null, false);
    }

    /**
     * moat's own machinery (journal, lock, lockout guard, rollback): always as root, whoever the
     * inventory's {@code ansible_become_user} or a task's {@code become_user} names.
     */
    public static Command root(String script) {
        return new Command(script, null, true, "root", null, false);
    }

    /** Runs as {@code user} through sudo ({@code become_user}); null: as the login user. */
    public static Command as(String script, boolean become, String user) {
        return new Command(script, null, become, user, null, false);
    }

    public Command withStdin(byte[] bytes) {
        return new Command(script, bytes, become, becomeUser, timeout, sensitive);
    }
}
