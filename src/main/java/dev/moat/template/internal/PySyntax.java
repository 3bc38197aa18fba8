package dev.moat.template.internal;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.OrOperator;
import com.hubspot.jinjava.el.ext.StringConcatOperator;

import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;

/**
 * Jinjava's expression syntax with Python's operators where Jinjava's differ ({@link PyOperators}):
 * {@code and}/{@code or} give the deciding operand, {@code ~} writes Python's {@code str()},
 * {@code *} repeats strings and lists, {@code -} subtracts dates. The parse itself is Jinjava's.
 */
public final class PySyntax extends ExtendedSyntaxBuilder {
    private static final long serialVersionUID = 1L;

    public PySyntax() {
        super();
    }

    public PySyntax(Feature... features) {
        super(features);
    }

    @Override
    protected Parser createParser(String expression) {
        return new PyParser(this, expression);
    }

    private static final class PyParser extends ExtendedParser {
        PyParser(PySyntax builder, String input) {
            super(builder, input);
            putExtensionHandler(StringConcatOperator.TOKEN, new ExtensionHandler(ExtensionPoint.ADD) {
                @Override
                public AstNode createAstNode(AstNode... children) {
                    return new AstBinary(children[0], children[1], PyOperators.CONCAT);
                }
            });
        }

        @Override
        protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
            AstBinary.Operator op = operator;
            if (operator == AstBinary.AND) op = PyOperators.AND;
            else if (operator == AstBinary.OR || operator == OrOperator.OP) op = PyOperators.OR;
            else if (operator == AstBinary.MUL) op = PyOperators.MUL;
            else if (operator == AstBinary.SUB) op = PyOperators.SUB;
            return super.createAstBinary(left, right, op);
        }
    }
}
