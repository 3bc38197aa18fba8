package dev.moat.e2e;

/**
 * Counts the exec requests a testbed host's sshd served, from its own log: with {@code LogLevel
 * VERBOSE} sshd logs each as "Starting session: command ...". The count is the host's, not moat's
 * word for it (tests/bench/converge counts the same way). Plain hosts log to /var/log/sshd.log,
 * systemd hosts to the journal of ssh.service.
 */
final class SshdLog {
    private static final String DROP_IN = "/etc/ssh/sshd_config.d/01-moat-e2e-count.conf";
    private final Testbed tb;
    /** How many times {@link #execs} has looked at each host's log. */
    private final java.util.Map<String, Integer> looks = new java.util.HashMap<>();

    SshdLog(Testbed tb) {
        this.tb = tb;
    }

    /** Makes {@code host}'s sshd log each exec request (its listener re-reads its configuration; sessions go on). */
    void verbose(String host) {
        tb.execOk(host, "printf 'LogLevel VERBOSE\\n' > " + DROP_IN + "; " + reload());
    }

    /** Back to the host's own log level. */
    void quiet(String host) {
        tb.exec(host, "rm -f " + DROP_IN + "; " + reload());
    }

    private String reload() {
        return tb.systemd() ? "systemctl reload ssh" : "kill -HUP \"$(cat /run/sshd.pid)\"; sleep 0.3";
    }

    /**
     * How many exec requests {@code host}'s sshd has logged so far, not counting this object's own
     * looks (each reaches the host over SSH too, and sshd logs a request before running it): subtract
     * two of these to count a run's. A look made before {@link #verbose} took effect is not in the
     * log, then or later, so the difference is right either way.
     */
    int execs(String host) {
        int look = looks.merge(host, 1, Integer::sum);
        String log = tb.systemd() ? "journalctl -q -u ssh.service -o cat" : "cat /var/log/sshd.log";
        return Integer.parseInt(tb.execOk(host, log + " | grep -c 'Starting session: command' || true").strip()) - look;
    }
}
