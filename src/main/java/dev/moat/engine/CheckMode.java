package dev.moat.engine;

import dev.moat.playbook.Play;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.Task;

/**
 * Check mode, decided once per task, as Ansible decides it: the run's {@code --check}, unless the
 * task says {@code check_mode: true|false}. A task checked plans only; a task not checked is a
 * real change, even inside a check run: journaled, guarded, rolled back on failure, in the run record.
 */
public final class CheckMode {
    private CheckMode() {}

    /** Whether task {@code t} only checks, in a run whose {@code --check} is {@code run}. */
    static boolean of(Task t, boolean run) {
        return t.checkMode() != null ? t.checkMode() : run;
    }

    /**
     * Whether a check run of {@code playbook} may still change hosts: some task, handler, or task
     * of a block (rescue and always included) says {@code check_mode: false}, or a template that a
     * host may render false. Such a run takes each host's lock like an apply. A {@code command} or
     * {@code shell} task declared read-only ({@link CommandReads#declared}) changes nothing by its own word.
     */
    public static boolean changesHosts(Playbook playbook) {
        for (Play p : playbook.plays()) {
            for (Task t : p.allTasks()) if (mayChange(t)) return true;
            for (Task t : p.handlers()) if (mayChange(t)) return true;
        }
        return false;
    }

    private static boolean mayChange(Task t) {
        return (!of(t, true) || t.execution().template("check_mode") != null) && !CommandReads.declared(t);
    }
}
