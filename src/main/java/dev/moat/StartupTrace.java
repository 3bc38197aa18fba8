package dev.moat;

/**
 * With {@code MOAT_TRACE_STARTUP=1}, one line on stderr per milestone of a run's start (command line
 * built, inventory read, playbook loaded, Jinjava built, first SSH connection opened...): wall time
 * since the launcher started (its {@code MOAT_LAUNCHED}, else the JVM's start), the CPU time the
 * process has used so far (all threads) and the CPU time of the thread that got there; at the first
 * connection, the CPU time of every thread. It is how start-up was measured and broken down (issue
 * 15); without the variable it costs nothing.
 */
public final class StartupTrace {
    private static final boolean ON = System.getenv("MOAT_TRACE_STARTUP") != null;
    private static final java.util.concurrent.atomic.AtomicBoolean THREADS_SHOWN = new java.util.concurrent.atomic.AtomicBoolean();

    private StartupTrace() {}

    public static void mark(String what) {
        if (!ON) return;
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        long mine = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
        System.err.println("moat: startup: " + since() + " ms, " + cpu + " ms CPU: " + what
                + " [" + Thread.currentThread().getName() + ": " + mine + " ms CPU]");
    }

    /** {@link #mark} and, the first time, each thread's CPU time so far (from /proc/self/task, Linux). */
    public static void markWithThreads(String what) {
        if (!ON) return;
        mark(what);
        if (!THREADS_SHOWN.compareAndSet(false, true)) return;
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : tasks) {
                String stat = java.nio.file.Files.readString(t.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10, Long::sum);
            }
        } catch (java.io.IOException | RuntimeException e) {
            return;
        }
        System.err.println("moat: startup: threads' CPU ms (10 ms ticks): " + byName);
    }

    private static long since() {
        String launched = System.getenv("MOAT_LAUNCHED");
        if (launched != null) {
            try {
                return System.currentTimeMillis() - Math.round(Double.parseDouble(launched.replace(',', '.')) * 1000);
            } catch (NumberFormatException e) {
                // the JVM's start below
            }
        }
        return System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
