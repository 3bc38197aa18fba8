package dev.moat.module;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a module may know besides its arguments and facts, all on the controller: the host's name,
 * whether this is a check run, the playbook's directory (for {@code src:} and templates), and a
 * renderer for templates with the task's variables.
 */
public interface PlanContext {
    String host();

    boolean check();

    /** Resolves a controller-side path the way Ansible does: absolute, or relative to the playbook (files/, templates/). */
    Path localPath(String path, String subdir);

    /** Renders a Jinja template text with the task's variables (for the template module). */
    String render(String template) throws TaskException;

    /** Evaluates a bare Jinja expression (an {@code assert}'s {@code that}, a {@code when}) to a value. */
    Object eval(String expression) throws TaskException;

    /** The task's variables, read-only. */
    Map<String, Object> vars();

    /**
     * Whether this is a handler rerun after a rollback, to make services pick up restored files:
     * then a restart or reload must not start a service the rollback left stopped.
     */
    default boolean afterRollback() {
        return false;
    }
}
