package dev.moat.config;

import java.util.Objects;

/**
 * One resolved configuration value and where it came from, as {@code ansible-config dump} shows it.
 *
 * @param key the setting
 * @param value its typed value: String, Boolean, Integer, {@code List<String>} of paths, or null
 * @param origin {@code default}, {@code env: ANSIBLE_X}, {@code cli: --flag}, or the cfg file's path
 * @param line for a value from the cfg file, the line of its key (0 otherwise), for error messages
 */
public record Setting(ConfigKey key, Object value, String origin, int line) {
    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(origin, "origin");
    }

    /** Whether the value differs from the default in its origin (what {@code --only-changed} keeps). */
    public boolean changed() {
        return !origin.equals("default");
    }

    /** Where the value came from, for an error message: {@code FILE:LINE}, {@code environment variable ANSIBLE_X}, or the flag. */
    public String place() {
        if (origin.startsWith("env: ")) return "environment variable " + origin.substring(5);
        if (origin.startsWith("cli: ")) return origin.substring(5);
        if (origin.equals("default")) return "moat's default";
        return origin + ":" + line;
    }

    /** {@code ansible-config dump}'s line: {@code NAME(origin) = value}, the value as Python prints it. */
    public String dumpLine() {
        return key.ansibleName() + "(" + origin + ") = " + python(value);
    }

    static String python(Object v) {
        if (v == null) return "None";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof java.util.List<?> l) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) s.append(", ");
                s.append(pyRepr(String.valueOf(l.get(i))));
            }
            return s.append("]").toString();
        }
        return String.valueOf(v);
    }

    /** Python's repr of a str: single quotes unless the text has a ' and no ". */
    private static String pyRepr(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(q);
        for (char c : s.toCharArray()) {
            if (c == '\\') b.append("\\\\");
            else if (c == q) b.append('\\').append(c);
            else if (c == '\n') b.append("\\n");
            else if (c == '\t') b.append("\\t");
            else b.append(c);
        }
        return b.append(q).toString();
    }
}
