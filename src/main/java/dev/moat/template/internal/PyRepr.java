package dev.moat.template.internal;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.objects.collections.PyList;

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
        } else if (v instanceof Tuple || (v != null && v.getClass() == PyList.class)) {
            List<?> t = (List<?>) v; // Jinjava's tuple literal is a bare PyList
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

    /** Python's float repr: the shortest round-tripping digits, {@code 1.0}, {@code 1e+20}, {@code inf}. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        String s = Double.toString(Math.abs(d)); // shortest round-trip digits, maybe with E
        String digits;
        int exp;
        int e = s.indexOf('E');
        String mant = e < 0 ? s : s.substring(0, e);
        int pow = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
        int dot = mant.indexOf('.');
        String intPart = mant.substring(0, dot);
        String frac = mant.substring(dot + 1);
        digits = (intPart + frac).replaceFirst("^0+", "");
        int lead = (intPart + frac).length() - (intPart + frac).replaceFirst("^0+", "").length();
        exp = intPart.length() - 1 + pow - lead; // decimal exponent of the first significant digit
        digits = digits.replaceFirst("0+$", "");
        if (digits.isEmpty()) digits = "0";
        StringBuilder out = new StringBuilder(d < 0 ? "-" : "");
        if (exp < -4 || exp >= 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) out.append('.').append(digits, 1, digits.length());
            out.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) out.append('0');
            out.append(a);
        } else if (exp < 0) {
            out.append("0.").append("0".repeat(-exp - 1)).append(digits);
        } else if (digits.length() <= exp + 1) {
            out.append(digits).append("0".repeat(exp + 1 - digits.length())).append(".0");
        } else {
            out.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
        }
        return out.toString();
    }

    /** Python's repr of a string: single quotes unless it holds a single quote and no double one. */
    static void quote(String s, StringBuilder out) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == q || c == '\\') out.append('\\').append(c);
            else if (c == '\n') out.append("\\n");
            else if (c == '\r') out.append("\\r");
            else if (c == '\t') out.append("\\t");
            else if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", (int) c));
            else out.append(c);
        }
        out.append(q);
    }
}
