package dev.moat.template.internal;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.moat.template.Templar;
import dev.moat.template.TemplateException;
import com.hubspot.jinjava.el.ext.AdditionOperator;

import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.javax.el.ELContext;

/** The binary operators whose Python meaning Jinjava lacks; {@link PySyntax} puts them in its trees. */
final class PyOperators {
    private PyOperators() {}

    /** {@code a and b}: a if a is false, else b ({@code true and none} is none). */
    static final AstBinary.Operator AND = new Named("and") {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return truth(a) ? right.eval(bindings, context) : a;
        }
    };

    /** {@code a or b}: a if a is true, else b. */
    static final AstBinary.Operator OR = new Named("or") {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return truth(a) ? a : right.eval(bindings, context);
        }
    };

    /** {@code a ~ b}: Python's {@code str(a) + str(b)} ({@code 'a' ~ none} is {@code aNone}). */
    static final AstBinary.Operator CONCAT = new Named("~") {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            Object b = right.eval(bindings, context);
            return PyRepr.str(a) + PyRepr.str(b);
        }
    };

    /** {@code a + b}: Jinjava's, except that two tuples make a tuple ({@code (1,) + (2,)} is {@code (1, 2)}). */
    static final AstBinary.Operator ADD = new AdditionOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (PyRepr.isTuple(a) && PyRepr.isTuple(b)) {
                List<Object> both = new ArrayList<>((List<?>) a);
                both.addAll((List<?>) b);
                return new Tuple(both);
            }
            return super.apply(converter, a, b);
        }
    };

    /** {@code a * b}: numbers multiply; a string or list times an int repeats ({@code 'ab' * 3}). */
    static final AstBinary.Operator MUL = new Named("*") {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = Undefined.require(left.eval(bindings, context));
            Object b = Undefined.require(right.eval(bindings, context));
            if (isSequence(a) || isSequence(b)) return repeat(isSequence(a) ? a : b, isSequence(a) ? b : a);
            return NumberOperations.mul(bindings, a, b);
        }
    };

    /** {@code a - b}: numbers subtract; two datetimes give a {@link TimeDelta}. */
    static final AstBinary.Operator SUB = new Named("-") {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = Undefined.require(left.eval(bindings, context));
            Object b = Undefined.require(right.eval(bindings, context));
            if (a instanceof LocalDateTime x && b instanceof LocalDateTime y) return TimeDelta.between(y, x);
            if (a instanceof LocalDateTime || b instanceof LocalDateTime) {
                throw Frame.fail(new TemplateException("unsupported operand type(s) for -: '" + TextFilters.pythonType(a) + "' and '" + TextFilters.pythonType(b) + "'"));
            }
            return NumberOperations.sub(bindings, a, b);
        }
    };

    /** Python's truth; an undefined value fails. */
    static boolean truth(Object v) {
        return Templar.truthy(Undefined.require(v));
    }

    private static boolean isSequence(Object v) {
        return v instanceof CharSequence || v instanceof List;
    }

    private static Object repeat(Object seq, Object times) {
        if (!(times instanceof Integer || times instanceof Long || times instanceof Short || times instanceof Boolean)) {
            throw Frame.fail(new TemplateException("can't multiply sequence by non-int of type '" + TextFilters.pythonType(times) + "'"));
        }
        long n = times instanceof Boolean t ? (t ? 1 : 0) : ((Number) times).longValue();
        if (n <= 0) return PyRepr.isTuple(seq) ? new Tuple(List.of()) : seq instanceof List ? new ArrayList<>() : "";
        if (seq instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (long i = 0; i < n; i++) out.addAll(l);
            return PyRepr.isTuple(seq) ? new Tuple(out) : out;
        }
        return String.join("", Collections.nCopies((int) n, PyRepr.str(seq)));
    }

    private abstract static class Named implements AstBinary.Operator {
        private final String image;

        Named(String image) {
            this.image = image;
        }

        @Override
        public String toString() {
            return image;
        }
    }
}
