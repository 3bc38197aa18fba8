package dev.moat.runs;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What became of a recorded run: {@code finished}, {@code interrupted} (stopped by a Ctrl-C,
 * rolled back where it had to), still {@code running} (its controller process is alive), or
 * {@code killed} (the record says running but its process is gone: SIGKILL, a second Ctrl-C, a
 * crash). Records written before runs had a status count as finished.
 */
public enum RunStatus {
    FINISHED, INTERRUPTED, RUNNING, KILLED;

    public static RunStatus of(JsonNode record) {
        String s = record.path("status").asText("");
        if (s.equals(RunRecorder.INTERRUPTED)) return INTERRUPTED;
        if (!s.equals(RunRecorder.RUNNING)) return FINISHED;
        return alive(record) ? RUNNING : KILLED;
    }

    /** Whether the run's controller process still runs (the same pid, started at the same time). */
    private static boolean alive(JsonNode record) {
        if (!record.path("pid").canConvertToLong()) return false;
        return ProcessHandle.of(record.path("pid").asLong()).filter(ProcessHandle::isAlive).map(p -> {
            String started = record.path("pid_started").asText(null);
            if (started == null) return true;
            return p.info().startInstant().map(Instant::toString).map(started::equals).orElse(true);
        }).orElse(false);
    }

    /** Whether the run stopped before its end: its journal was never sealed and its recap is partial. */
    public boolean incomplete() {
        return this == RUNNING || this == KILLED;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
