package dev.moat.playbook;

import dev.moat.yaml.Mark;

/** An entry of a play's task list: a {@link Task}, a {@link Block} of tasks, or a dynamic {@link Include}. */
public sealed interface TaskItem permits Task, Block, Include {
    /** The name as written (may hold a template), or null. */
    String name();

    /** Where the entry starts in the playbook. */
    Mark mark();
}
