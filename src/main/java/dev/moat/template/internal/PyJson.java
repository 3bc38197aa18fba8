package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;


/**
 * JSON as Python's {@code json.dumps} writes it, which Ansible's {@code to_json} and
 * {@code to_nice_json} use: {@code {"a": 1, "b": [1, 2]}}, or with {@code indent} one item a line.
 */
final class PyJson {
    private PyJson() {}

    static String dumps(Object value, int indent, boolean sortKeys) {
        StringBuilder out = new StringBuilder();
        write(Plain.of(value), indent, sortKeys, 0, out);
        return out.toString();
    }

    private static void write(Object v, int indent, boolean sort, int depth, StringBuilder out) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Double d) {
            out.append(PyRepr.floatRepr(d));
        } else if (v instanceof Boolean || v instanceof Number) {
            out.append(v);
        } else if (v instanceof Map<?, ?> m) {
            List<Object> keys = new ArrayList<>(m.keySet());
            if (sort) keys.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
            if (keys.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                separate(i, indent, depth + 1, out);
                out.append(quote(String.valueOf(keys.get(i)))).append(": ");
                write(m.get(keys.get(i)), indent, sort, depth + 1, out);
            }
            close(indent, depth, out);
            out.append('}');
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            int i = 0;
            for (Object o : c) {
                separate(i++, indent, depth + 1, out);
                write(o, indent, sort, depth + 1, out);
            }
            close(indent, depth, out);
            out.append(']');
        } else {
            out.append(quote(String.valueOf(v)));
        }
    }

    private static void separate(int i, int indent, int depth, StringBuilder out) {
        if (indent > 0) {
            if (i > 0) out.append(',');
            out.append('\n').append(" ".repeat(indent * depth));
        } else if (i > 0) {
            out.append(", ");
        }
    }

    private static void close(int indent, int depth, StringBuilder out) {
        if (indent > 0) out.append('\n').append(" ".repeat(indent * depth));
    }

    /** Python's {@code json.dumps} of a string with {@code ensure_ascii}: anything outside space..~ escaped. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < ' ' || c > '~') out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
