package dev.moat.engine;

import java.util.Map;

/** The engine's view of Jinja: render task arguments, test conditions, mask secrets in output. */
public interface Templating {
    /** Renders strings inside {@code raw} (a string, list or map); a lone {@code {{ expr }}} keeps its type. */
    Object render(Object raw, Map<String, Object> vars) throws TaskException;

    /** A bare expression ({@code when}, {@code changed_when}) by Ansible's truthiness. */
    boolean test(String expression, Map<String, Object> vars) throws TaskException;

    /** A bare expression's value. */
    Object eval(String expression, Map<String, Object> vars) throws TaskException;

    /** {@code text} with every secret value seen so far replaced by asterisks. */
    String mask(String text);
}
