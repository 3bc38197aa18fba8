package dev.moat.template.internal;

import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.IfTag;
import com.hubspot.jinjava.tree.TagNode;

/**
 * Python's truth where Jinjava has its own: Jinjava reads the string {@code 'false'} as false in
 * {@code {% if %}}, {@code not} and {@code a if c else b}; Python, so Ansible, reads every non-empty
 * string as true. {@link Converter} is the expressions' type converter, {@link If} the {@code if} tag.
 */
final class PyTruth {
    private PyTruth() {}

    /** Jinjava's converter, but coercing to a boolean is Python's truth. */
    static final class Converter extends TruthyTypeConverter {
        private static final long serialVersionUID = 1L;

        @Override
        protected Boolean coerceToBoolean(Object value) {
            return PyOperators.truth(value);
        }
    }

    /** Jinjava's {@code if} tag (with {@code elif} and {@code else}), its conditions read with Python's truth. */
    static final class If extends IfTag {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isPositiveIfElseNode(TagNode tagNode, JinjavaInterpreter interpreter) {
            return PyOperators.truth(interpreter.resolveELExpression(tagNode.getHelpers(), tagNode.getLineNumber()));
        }
    }
}
