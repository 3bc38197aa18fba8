package dev.moat.inventory;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders plain values the way Python does, so moat's inventory output is byte for byte what
 * ansible-inventory prints: {@code json.dumps(v, sort_keys=True, indent=4, ensure_ascii=False)}
 * and {@code str(v)} (for {@code --graph --vars}). The template package prints its values with
 * {@link #floatRepr} and {@link #stringRepr} too.
 */
public final class PyFormat {
    private PyFormat() {}

    static String json(Object v) {
        StringBuilder b = new StringBuilder();
        json(v, 0, b);
        return b.toString();
    }

    private static void json(Object v, int indent, StringBuilder b) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
            b.append("{");
            String sep = "\n";
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                b.append(sep).append(" ".repeat(indent + 4));
                jsonString(e.getKey(), b);
                b.append(": ");
                json(e.getValue(), indent + 4, b);
                sep = ",\n";
            }
            b.append("\n").append(" ".repeat(indent)).append("}");
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append("[");
            String sep = "\n";
            for (Object x : l) {
                b.append(sep).append(" ".repeat(indent + 4));
                json(x, indent + 4, b);
                sep = ",\n";
            }
            b.append("\n").append(" ".repeat(indent)).append("]");
        } else if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            b.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : floatRepr(d));
        } else if (v instanceof Number) {
            b.append(v);
        } else {
            jsonString(String.valueOf(v), b);
        }
    }

    private static void jsonString(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                case '\b': b.append("\\b"); break;
                case '\f': b.append("\\f"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
            }
        }
        b.append('"');
    }

    /** Python's repr(float): shortest digits, scientific below 1e-4 and from 1e16. */
    public static String floatRepr(double d) {
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = bd.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** Python's str(v) for the values YAML gives: repr inside containers, the bare text at top level. */
    static String str(Object v) {
        return v instanceof String s ? s : repr(v);
    }

    static String repr(Object v) {
        if (v == null) return "None";
        if (v instanceof Boolean bool) return bool ? "True" : "False";
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isNaN(d) ? "nan" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : floatRepr(d);
        }
        if (v instanceof Number) return v.toString();
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            String sep = "";
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(sep).append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                sep = ", ";
            }
            return b.append("}").toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            String sep = "";
            for (Object x : l) {
                b.append(sep).append(repr(x));
                sep = ", ";
            }
            return b.append("]").toString();
        }
        return stringRepr(String.valueOf(v));
    }

    /** Python's repr(str): single quotes unless the text holds one and no double quote. */
    public static String stringRepr(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == q || c == '\\') b.append('\\').append(c);
            else if (c == '\n') b.append("\\n");
            else if (c == '\r') b.append("\\r");
            else if (c == '\t') b.append("\\t");
            else if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.append(q).toString();
    }
}
