package dev.moat.module;

/**
 * What the engine waits for after a task that closes the host's connection on purpose (a
 * {@code reboot}) or instead of one ({@code wait_for_connection}): after {@code delay} seconds,
 * fresh connections (each given at most {@code connectTimeout} seconds, null: the run's own)
 * until one works, and, when {@code bootCommand} is set, until it prints something other than
 * {@code previousBoot} (the host booted again); then until {@code testCommand} exits 0. Each
 * phase gives up after {@code timeout} seconds with Ansible's message. Between tries it sleeps
 * {@code sleep} seconds, or, with {@code backoff}, Ansible's reboot back-off (1, 2, 4, 8, 12, 12 ...).
 * The fresh connection then replaces the old one for the rest of the run, with the same host-key check.
 */
public record Reconnect(double delay, double timeout, double sleep, boolean backoff, Integer connectTimeout,
                        String bootCommand, String previousBoot, String testCommand, String phase) {
    public Reconnect {
        if (timeout <= 0) throw new IllegalArgumentException("timeout must be positive");
        if (bootCommand != null && previousBoot == null) throw new IllegalArgumentException("a boot check needs the boot before");
    }

    /** Whether the host must have booted again (its boot id changed) before the connection counts. */
    public boolean reboots() {
        return bootCommand != null;
    }
}
