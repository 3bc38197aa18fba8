package dev.moat.engine;

import dev.moat.playbook.TaskItem;

/**
 * Whether a task (or dynamic include) a host reaches runs at all, asked before its conditions:
 * the command line's {@code --start-at-task} skips the tasks before the one named, {@code --step}
 * asks the user. A task the gate refuses is left out silently, as one its tags deselect. Called
 * from every host's thread at once.
 */
@FunctionalInterface
public interface TaskGate {
    /** Every task runs. */
    TaskGate ALL = item -> true;

    boolean admits(TaskItem item);
}
