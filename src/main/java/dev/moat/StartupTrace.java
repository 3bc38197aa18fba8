package dev.moat;

/**
 * With {@code MOAT_TRACE_STARTUP=1}, one line on stderr per milestone of a run's start (command line
 * built, inventory read, playbook loaded, Jinjava built, first SSH connection opened...): wall time
 * since the process started and the CPU time the process has used so far, all threads together. It
 * is how start-up was measured and broken down (issue 15); without the variable it costs nothing.
 */
public final class StartupTrace {
    private static final boolean ON = System.getenv("MOAT_TRACE_STARTUP") != null;

    private StartupTrace() {}

    public static void mark(String what) {
        if (!ON) return;
        ProcessHandle.Info p = ProcessHandle.current().info();
        long start = p.startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        long cpu = p.totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        System.err.println("moat: startup: " + (System.currentTimeMillis() - start) + " ms, " + cpu + " ms CPU: " + what
                + " [" + Thread.currentThread().getName() + "]");
    }
}
