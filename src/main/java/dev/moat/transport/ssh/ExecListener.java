package dev.moat.transport.ssh;

import java.time.Duration;

/**
 * Told about every command a transport ran, for {@code -v}: the host, the script (or
 * {@code "(sensitive)"} for a sensitive command), how long it took and its exit status
 * ({@code -1} when the transport failed or the command timed out). Never receives stdin or a
 * become password.
 */
@FunctionalInterface
public interface ExecListener {
    ExecListener NONE = (host, script, took, rc) -> {};

    void executed(String host, String script, Duration took, int rc);
}
