package dev.moat.template;

import dev.moat.ExitCode;
import dev.moat.MoatException;

/**
 * A template that cannot be rendered: an undefined variable, a failing filter or lookup, a Jinja
 * syntax error. The message names the cause without a place ("undefined variable 'foo'"), so the
 * caller can prefix it with the task and host ("task 'X' on host H: ..."), or, at load time, with
 * file:line:column. At run time it fails the host (exit 1).
 */
public class TemplateException extends MoatException {
    private final String variable;

    public TemplateException(String message) {
        this(message, null);
    }

    public TemplateException(String message, String variable) {
        super(ExitCode.FAILED, message);
        this.variable = variable;
    }

    /** The undefined variable (or dotted path) the message is about, or null. */
    public String variable() {
        return variable;
    }
}
