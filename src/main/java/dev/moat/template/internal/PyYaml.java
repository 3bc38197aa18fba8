package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * YAML as PyYAML's {@code yaml.dump} writes it, which Ansible's {@code to_yaml} (flow style for
 * collections of scalars, indent 2) and {@code to_nice_yaml} (block style, indent 4) use: keys
 * sorted, sequences in a mapping not indented, strings quoted only when YAML would read them as
 * something else. Long lines are not folded.
 */
final class PyYaml {
    private static final Pattern SPECIAL_WORD = Pattern.compile(
            "(?i:y|n|yes|no|true|false|on|off|null)|~|"
            + "[-+]?(0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)|"
            + "[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|"
            + "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?|<<|=|"
            + "\\d{4}-\\d\\d?-\\d\\d?([Tt ].*)?");

    private PyYaml() {}

    /** {@code flow}: PyYAML's {@code default_flow_style=None} (true) or {@code False}. */
    static String dump(Object v, int indent, boolean flow) {
        v = Plain.of(v);
        StringBuilder out = new StringBuilder();
        if (!(v instanceof Map || v instanceof List)) {
            out.append(scalar(v, false)).append("\n...\n");
            return out.toString();
        }
        if (isEmpty(v) || (flow && leaf(v))) {
            out.append(flowOf(v)).append('\n');
            return out.toString();
        }
        block(v, 0, indent, flow, false, out);
        return out.toString();
    }

    private static void block(Object v, int at, int indent, boolean flow, boolean inlineFirst, StringBuilder out) {
        String pad = " ".repeat(at);
        boolean first = true;
        if (v instanceof Map<?, ?> m) {
            for (Object key : sortedKeys(m)) {
                if (!(first && inlineFirst)) out.append(pad);
                first = false;
                Object val = m.get(key);
                out.append(scalar(key, false)).append(':');
                if (!(val instanceof Map || val instanceof List)) {
                    out.append(' ').append(scalar(val, false)).append('\n');
                } else if (isEmpty(val) || (flow && leaf(val))) {
                    out.append(' ').append(flowOf(val)).append('\n');
                } else {
                    out.append('\n');
                    block(val, val instanceof List ? at : at + indent, indent, flow, false, out);
                }
            }
            return;
        }
        for (Object item : (List<?>) v) {
            if (!(first && inlineFirst)) out.append(pad);
            first = false;
            out.append('-');
            if ((item instanceof Map || item instanceof List) && !(isEmpty(item) || (flow && leaf(item)))) {
                out.append(" ".repeat(indent - 1));
                block(item, at + indent, indent, flow, true, out);
            } else {
                out.append(' ').append(item instanceof Map || item instanceof List ? flowOf(item) : scalar(item, false)).append('\n');
            }
        }
    }

    private static List<Object> sortedKeys(Map<?, ?> m) {
        List<Object> keys = new ArrayList<>(m.keySet());
        keys.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
        return keys;
    }

    private static boolean isEmpty(Object v) {
        return (v instanceof Map<?, ?> m && m.isEmpty()) || (v instanceof Collection<?> c && c.isEmpty());
    }

    private static boolean leaf(Object v) {
        Collection<?> items = v instanceof Map<?, ?> m ? m.values() : (Collection<?>) v;
        for (Object o : items) if (o instanceof Map || o instanceof List) return false;
        return true;
    }

    private static String flowOf(Object v) {
        StringBuilder out = new StringBuilder();
        if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Object key : sortedKeys(m)) {
                if (!first) out.append(", ");
                first = false;
                out.append(scalar(key, true)).append(": ");
                Object val = m.get(key);
                out.append(val instanceof Map || val instanceof List ? flowOf(val) : scalar(val, true));
            }
            return out.append('}').toString();
        }
        out.append('[');
        boolean first = true;
        for (Object o : (List<?>) v) {
            if (!first) out.append(", ");
            first = false;
            out.append(o instanceof Map || o instanceof List ? flowOf(o) : scalar(o, true));
        }
        return out.append(']').toString();
    }

    private static String scalar(Object v, boolean inFlow) {
        if (v == null) return "null";
        if (v instanceof Boolean b) return b ? "true" : "false";
        if (v instanceof Double d) return PyRepr.floatRepr(d).replace("inf", ".inf").replace("nan", ".nan");
        if (v instanceof Number) return v.toString();
        String s = v.toString();
        if (!plain(s, inFlow)) return "'" + s.replace("'", "''").replace("\n", "\n\n") + "'";
        return s;
    }

    private static boolean plain(String s, boolean inFlow) {
        if (s.isEmpty() || SPECIAL_WORD.matcher(s).matches()) return false;
        if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) return false;
        if ("?:,[]{}#&*!|>'\"%@`".indexOf(s.charAt(0)) >= 0) return false;
        if (s.charAt(0) == '-' && (s.length() == 1 || s.charAt(1) == ' ')) return false;
        if (s.contains(": ") || s.contains(" #") || s.endsWith(":") || s.contains("\n")) return false;
        if (inFlow && s.chars().anyMatch(c -> ",[]{}".indexOf(c) >= 0)) return false;
        return s.chars().allMatch(c -> c >= ' ' && c != 0x7f);
    }
}
