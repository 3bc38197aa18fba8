package dev.moat.template.internal;

import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.OrOperator;
import com.hubspot.jinjava.el.ext.StringConcatOperator;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;

import java.util.ArrayList;
import java.util.List;

import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner.ScanException;
import jinjava.de.odysseus.el.tree.impl.Scanner.Symbol;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;

/**
 * Jinjava's expression syntax with Python's operators where Jinjava's differ ({@link PyOperators}):
 * {@code and}/{@code or} give the deciding operand, {@code ~} writes Python's {@code str()},
 * {@code *} repeats strings and lists, {@code -} subtracts dates. The parse is Jinjava's, with Python's
 * trailing commas ({@code (1,)}, {@code [a, b,]}, {@code f(x,)}), the empty tuple {@code ()}, and a
 * call of a variable that holds a callable object ({@code j()} for a {@code joiner}), which becomes
 * {@code j.__call__()}: Jinjava only calls functions and macros by name.
 */
public final class PySyntax extends ExtendedSyntaxBuilder {
    private static final long serialVersionUID = 1L;

    /** The method name a call of a callable variable is turned into. */
    static final String CALL = "__call__";

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
        protected AstNode nonliteral() throws ScanException, ParseException {
            Symbol s = getToken().getSymbol();
            if (s == Symbol.LPAREN && lookahead(0).getSymbol() == Symbol.RPAREN) return createAstTuple(params());
            if (s == Symbol.IDENTIFIER && lookahead(0).getSymbol() == Symbol.LPAREN && callableVariable(getToken().getImage())) {
                String name = consumeToken().getImage();
                return createAstMethod(createAstDot(identifier(name), CALL, false), params());
            }
            return super.nonliteral();
        }

        /** Whether {@code name} is, as the template is rendered, a variable holding an object a template calls. */
        private static boolean callableVariable(String name) {
            JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
            if (interpreter == null || interpreter.getContext().isGlobalMacro(name)) return false;
            return interpreter.getContext().get(name) instanceof Callables.Joiner;
        }

        /** Jinjava's argument, list and tuple items, with Python's trailing comma allowed. */
        @Override
        protected AstParameters params(Symbol left, Symbol right) throws ScanException, ParseException {
            consumeToken(left);
            List<AstNode> items = new ArrayList<>();
            if (getToken().getSymbol() == Symbol.MUL) fail("an argument (moat does not unpack *args in a call)");
            AstNode v = expr(false);
            if (v != null) {
                items.add(v);
                while (getToken().getSymbol() == Symbol.COMMA) {
                    consumeToken();
                    if (getToken().getSymbol() == right) break;
                    if (getToken().getSymbol() == Symbol.MUL) fail("an argument (moat does not unpack *args in a call)");
                    items.add(expr(true));
                }
            }
            consumeToken(right);
            return createAstParameters(items);
        }

        @Override
        protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
            AstBinary.Operator op = operator;
            if (operator == AstBinary.AND) op = PyOperators.AND;
            else if (operator == AstBinary.OR || operator == OrOperator.OP) op = PyOperators.OR;
            else if (operator == AstBinary.MUL) op = PyOperators.MUL;
            else if (operator == AstBinary.SUB) op = PyOperators.SUB;
            else if (operator == AdditionOperator.OP) op = PyOperators.ADD;
            return super.createAstBinary(left, right, op);
        }
    }
}
