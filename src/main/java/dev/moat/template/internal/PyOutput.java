package dev.moat.template.internal;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;

/**
 * How a {@code {{ expr }}} is written into the output, as Ansible writes it: Python's {@code str()}
 * ({@code True}, {@code ['a', 1]}, {@code {'k': None}}), and nothing for none (Ansible's finalize).
 */
public final class PyOutput implements ExpressionStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public RenderedOutputNode interpretOutput(ExpressionToken token, JinjavaInterpreter interpreter) {
        return new RenderedOutputNode(text(interpreter.resolveELExpression(token.getExpr(), token.getLineNumber())));
    }

    /**
     * The value of a template that is one expression, as a module receives it: Ansible writes the
     * value as text and reads back only what looks like a list, a mapping or a boolean, so a tuple
     * ({@code 'a.b' | splitext}, {@code (1, 2)}) arrives as its text {@code ('a', '.b')}.
     */
    public static Object nativeValue(Object value) {
        if (PyRepr.isTuple(value) || value instanceof java.util.Map.Entry) return PyRepr.str(value);
        return Plain.of(value);
    }

    /** The text of one expression's value. */
    public static String text(Object value) {
        return value == null ? "" : PyRepr.str(value);
    }
}
