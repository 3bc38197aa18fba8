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

    /** The text of one expression's value. */
    public static String text(Object value) {
        return value == null ? "" : PyRepr.str(value);
    }
}
