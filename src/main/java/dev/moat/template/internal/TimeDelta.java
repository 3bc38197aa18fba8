package dev.moat.template.internal;

import java.time.Duration;
import java.time.LocalDateTime;

/**
 * Python's {@code timedelta}, what subtracting two datetimes gives
 * ({@code ((a | to_datetime) - (b | to_datetime)).days}): {@code days}, {@code seconds} (0 to 86399),
 * {@code microseconds} and {@code total_seconds()}, normalized as Python does, so minus one second
 * is {@code -1 day, 23:59:59}. The getters are what Jinjava's property access reads.
 */
public final class TimeDelta {
    private static final long MICROS_A_DAY = 86_400_000_000L;

    private final long micros;

    private TimeDelta(long micros) {
        this.micros = micros;
    }

    /** {@code to - from}. */
    static TimeDelta between(LocalDateTime from, LocalDateTime to) {
        Duration d = Duration.between(from, to);
        return new TimeDelta(d.getSeconds() * 1_000_000L + d.getNano() / 1000);
    }

    public long getDays() {
        return Math.floorDiv(micros, MICROS_A_DAY);
    }

    public long getSeconds() {
        return Math.floorMod(micros, MICROS_A_DAY) / 1_000_000L;
    }

    public long getMicroseconds() {
        return Math.floorMod(micros, 1_000_000L);
    }

    /** {@code total_seconds()}: a float, as in Python. */
    public double totalSeconds() {
        return micros / 1e6;
    }

    /** Python's {@code str(timedelta)}: {@code 14 days, 10:30:00}, {@code 0:00:01.500000}. */
    @Override
    public String toString() {
        long days = getDays();
        long s = getSeconds();
        String clock = String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        if (getMicroseconds() != 0) clock += String.format(".%06d", getMicroseconds());
        if (days == 0) return clock;
        return days + (Math.abs(days) == 1 ? " day, " : " days, ") + clock;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeDelta t && t.micros == micros;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(micros);
    }
}
