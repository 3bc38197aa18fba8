package dev.moat.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.moat.module.Args;
import dev.moat.template.Templar;
import dev.moat.template.TemplateException;
import dev.moat.yaml.ListNode;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;

/** Typed reads of playbook keywords; each wrong shape is a {@link YamlException} at the value's place. */
final class Nodes {
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Nodes() {}

    /** Where the value of {@code key} is, or the key itself when the value is empty. */
    static Mark at(MapNode m, String key) {
        Node n = m.get(key);
        return n != null ? n.mark() : m.keyMark(key);
    }

    static String kind(Node n) {
        if (n == null) return "nothing";
        if (n instanceof MapNode) return "a mapping";
        if (n instanceof ListNode) return "a list";
        Object v = ((ScalarNode) n).value();
        if (v instanceof Boolean) return "a boolean";
        if (v instanceof Number) return "a number";
        return "a string";
    }

    /** A scalar as text, or null when absent/empty; a list or mapping is an error. */
    static String string(MapNode m, String key) {
        Node n = m.get(key);
        if (n == null) return null;
        if (!(n instanceof ScalarNode s)) throw new YamlException(n.mark(), key + ": expected a string, not " + kind(n));
        if (s.value() == null) return null;
        checkTemplate(n, key);
        return s.text();
    }

    /** A literal boolean (true/false, yes/no), or null when absent. */
    static Boolean bool(MapNode m, String key) {
        if (!m.has(key)) return null;
        Node n = m.get(key);
        Boolean b = n instanceof ScalarNode s && s.value() != null && !(s.value() instanceof Number) ? Args.toBool(s.value()) : null;
        if (n instanceof ScalarNode s && s.value() instanceof Number num && (num.intValue() == 0 || num.intValue() == 1)) b = num.intValue() == 1;
        if (b == null) {
            String shown = n instanceof ScalarNode s && s.value() != null ? "'" + s.text() + "'" : kind(n);
            throw new YamlException(at(m, key), key + ": expected true or false, not " + shown
                    + (n instanceof ScalarNode s && Templar.isTemplate(s.text()) ? " (moat takes a literal here, not a template)" : ""));
        }
        return b;
    }

    /** A string or a list of strings (numbers taken as text); with {@code commaSplit}, "a,b" is two. */
    static List<String> strings(MapNode m, String key, boolean commaSplit) {
        Node n = m.get(key);
        List<String> out = new ArrayList<>();
        if (n == null) return out;
        List<Node> items = n instanceof ListNode l ? l.items() : List.of(n);
        for (Node i : items) {
            if (!(i instanceof ScalarNode s) || s.value() == null) {
                throw new YamlException(i == null ? at(m, key) : i.mark(), key + ": expected a string or a list of strings, not " + kind(i));
            }
            checkTemplate(i, key);
            if (commaSplit && !Templar.isTemplate(s.text())) {
                for (String part : s.text().split(",")) if (!part.isBlank()) out.add(part.strip());
            } else {
                out.add(s.text());
            }
        }
        return out;
    }

    /** {@code when}-style conditions: an expression, a boolean, or a list of them; each is syntax-checked. */
    static List<String> conditions(MapNode m, String key) {
        Node n = m.get(key);
        List<String> out = new ArrayList<>();
        if (!m.has(key)) return out;
        if (n == null) throw new YamlException(m.keyMark(key), key + ": empty; expected an expression such as \"x is defined\"");
        List<Node> items = n instanceof ListNode l ? l.items() : List.of(n);
        for (Node i : items) {
            if (!(i instanceof ScalarNode s) || s.value() == null) {
                throw new YamlException(i == null ? n.mark() : i.mark(), key
                        + ": expected an expression (or a list of expressions), not " + kind(i));
            }
            String expr = s.value() instanceof Boolean b ? (b ? "True" : "False") : s.text().strip();
            try {
                Templar.checkExpression(expr);
            } catch (TemplateException e) {
                throw new YamlException(i.mark(), key + ": " + e.getMessage());
            }
            out.add(expr);
        }
        return out;
    }

    /** A mapping, or null when absent/empty. */
    static MapNode map(MapNode m, String key) {
        Node n = m.get(key);
        if (n == null) return null;
        if (!(n instanceof MapNode mn)) throw new YamlException(n.mark(), key + ": expected a mapping, not " + kind(n));
        return mn;
    }

    /** A list of entries, or an empty list when absent/empty. */
    static List<Node> list(MapNode m, String key) {
        Node n = m.get(key);
        if (n == null) return List.of();
        if (!(n instanceof ListNode l)) throw new YamlException(n.mark(), key + ": expected a list, not " + kind(n));
        return l.items();
    }

    /** Variables ({@code vars:}): names must be identifiers; template syntax is checked, rendering waits. */
    static Map<String, Object> vars(MapNode m, String key) {
        MapNode v = map(m, key);
        Map<String, Object> out = new LinkedHashMap<>();
        if (v == null) return out;
        return varsOf(v, key);
    }

    static Map<String, Object> varsOf(MapNode v, String what) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : v.entries().entrySet()) {
            if (!IDENTIFIER.matcher(e.getKey()).matches()) {
                throw new YamlException(v.keyMark(e.getKey()), what + ": '" + e.getKey()
                        + "' is not a valid variable name (letters, digits and _, not starting with a digit)");
            }
            checkTemplates(e.getValue(), e.getKey());
            out.put(e.getKey(), e.getValue() == null ? null : e.getValue().toPlain());
        }
        return out;
    }

    static String identifier(MapNode m, String key) {
        String s = string(m, key);
        if (s != null && !IDENTIFIER.matcher(s).matches()) {
            throw new YamlException(at(m, key), key + ": '" + s + "' is not a valid variable name");
        }
        return s;
    }

    /** Checks the Jinja syntax of every string inside {@code n}, failing at the string's place. */
    static void checkTemplates(Node n, String what) {
        if (n instanceof ScalarNode) checkTemplate(n, what);
        else if (n instanceof ListNode l) for (Node i : l.items()) checkTemplates(i, what);
        else if (n instanceof MapNode mn) mn.entries().forEach((k, v) -> checkTemplates(v, what));
    }

    static void checkTemplate(Node n, String what) {
        if (n instanceof ScalarNode s && s.value() instanceof String text && Templar.isTemplate(text)) {
            try {
                Templar.checkTemplate(text);
            } catch (TemplateException e) {
                throw new YamlException(n.mark(), "template error in '" + what + "': " + e.getMessage());
            }
        }
    }
}
