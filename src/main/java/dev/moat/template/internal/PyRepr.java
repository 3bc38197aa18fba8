package dev.moat.template.internal;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.objects.collections.PyList;

import dev.moat.inventory.PyFormat;

/**
 * Values printed as Python prints them, which is what Ansible's templates output:
 * {@code True}, {@code None}, {@code ['a', 1]}, {@code {'k': None}}, {@code (1, 'a')}, {@code 1e+20}.
 * {@link #str} is Python's {@code str()}, {@link #repr} its {@code repr()}.
 */
public final class PyRepr {
    private PyRepr() {}

    public static String str(Object v) {
        if (v instanceof Undefined u) throw u.use();
        if (v instanceof SafeString s) return s.getValue();
        if (v instanceof CharSequence || v instanceof Character) return v.toString();
        if (v instanceof java.time.LocalDateTime t) return PyDate.str(t);
        return repr(v);
    }

    /** Whether {@code v} is a Python tuple: moat's {@link Tuple}, or Jinjava's tuple literal, a bare PyList. */
    public static boolean isTuple(Object v) {
        return v instanceof Tuple || (v != null && v.getClass() == PyList.class);
    }

    public static String repr(Object v) {
        StringBuilder out = new StringBuilder();
        repr(v, out);
        return out.toString();
    }

    private static void repr(Object v, StringBuilder out) {
        if (v instanceof Undefined u) throw u.use();
        if (v == null) {
            out.append("None");
        } else if (v instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            out.append(floatRepr(((Number) v).doubleValue()));
        } else if (v instanceof Number) {
            out.append(v);
        } else if (v instanceof SafeString s) {
            quote(s.getValue(), out);
        } else if (v instanceof CharSequence || v instanceof Character) {
            quote(v.toString(), out);
        } else if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) out.append(", ");
                first = false;
                repr(e.getKey(), out);
                out.append(": ");
                repr(e.getValue(), out);
            }
            out.append('}');
        } else if (v instanceof Map.Entry<?, ?> e) {
            repr(Tuple.of(e.getKey(), e.getValue()), out);
        } else if (isTuple(v)) {
            List<?> t = (List<?>) v;
            out.append('(');
            items(t.iterator(), out);
            if (t.size() == 1) out.append(',');
            out.append(')');
        } else if (v instanceof Iterable<?> it) {
            out.append('[');
            items(it.iterator(), out);
            out.append(']');
        } else if (v instanceof Object[] a) {
            repr(java.util.Arrays.asList(a), out);
        } else {
            out.append(v);
        }
    }

    private static void items(Iterator<?> it, StringBuilder out) {
        boolean first = true;
        while (it.hasNext()) {
            if (!first) out.append(", ");
            first = false;
            repr(it.next(), out);
        }
    }

    /** Python's float repr: {@code 1.0}, {@code 1e+20}, {@code inf}, {@code nan}. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return PyFormat.floatRepr(d);
    }

    private static void quote(String s, StringBuilder out) {
        out.append(PyFormat.stringRepr(s));
    }
}
