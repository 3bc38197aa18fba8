package dev.moat.engine;

import dev.moat.module.TaskException;
import dev.moat.template.Templar;
import dev.moat.template.Vars;

/** The numbers of a task's loop and retry keywords (literal or templated), and the waits they ask for. */
final class Pauses {
    private Pauses() {}

    /** {@code value} as a whole number (a template is rendered first); {@code dflt} when null. */
    static int number(Templar templar, Object value, int dflt, String what, Vars vars) throws TaskException {
        double d = seconds(templar, value, dflt, what, vars);
        if (d != Math.floor(d)) throw new TaskException(what + ": expected a whole number, not " + value);
        return (int) d;
    }

    /** {@code value} as a number of seconds (a template is rendered first); {@code dflt} when null. */
    static double seconds(Templar templar, Object value, double dflt, String what, Vars vars) throws TaskException {
        if (value == null) return dflt;
        Object v = value instanceof String s && Templar.isTemplate(s) ? templar.render(s, vars) : value;
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new TaskException(what + ": '" + value + "' gave '" + v + "', not a number");
        }
    }

    /** Waits {@code seconds}, waking early when the run is interrupted; false if it was. */
    static boolean sleep(RunContext run, double seconds) {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        while (!run.stopping()) {
            long left = until - System.nanoTime();
            if (left <= 0) return true;
            try {
                Thread.sleep(Math.min(200, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
