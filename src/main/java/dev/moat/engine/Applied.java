package dev.moat.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.Plan;
import dev.moat.transport.ExecResult;

/**
 * What applying one plan came to ({@link ChangeApplier}). {@code last} is the last step's result
 * (null when no step ran); {@code failure} why the change failed, or null; {@code safety} says the
 * failure is the journal's or the lockout guard's (not journaled, not settled, not confirmed,
 * reverted), which {@code failed_when} judges no command by and so cannot excuse;
 * {@code ranSteps} whether any step ran, so what the plan touches is stale.
 */
record Applied(ExecResult last, String failure, boolean safety, boolean ranSteps) {
    /** Nothing applied: a converged plan, or check mode. */
    static final Applied NOTHING = new Applied(null, null, false, false);

    static Applied refused(String why) {
        return new Applied(null, why, true, false);
    }

    /** The task's registered variable, before {@code changed_when}/{@code failed_when}: the plan's values, the last step's output, the outcome. */
    Map<String, Object> registered(Plan plan) {
        Map<String, Object> reg = new LinkedHashMap<>(plan.result());
        if (last != null) {
            reg.put("rc", last.rc());
            reg.put("stdout", stripNl(last.out()));
            reg.put("stdout_lines", lines(last.out()));
            reg.put("stderr", stripNl(last.err()));
            reg.put("stderr_lines", lines(last.err()));
        }
        reg.put("changed", plan.changes());
        reg.put("failed", failure != null);
        if (failure != null) reg.put("msg", failure);
        else if (plan.message() != null) reg.put("msg", plan.message());
        return reg;
    }

    private static String stripNl(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static List<String> lines(String s) {
        String x = stripNl(s);
        return x.isEmpty() ? List.of() : List.of(x.split("\n", -1));
    }
}
