package dev.moat.facts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local fact file in INI form, read as Ansible reads it: Python's {@code configparser.ConfigParser()}
 * with its defaults, each section a map of its options. Option names are lower-cased, values
 * stripped, {@code key = value} or {@code key: value}, whole-line {@code #} and {@code ;} comments,
 * indented lines continuing the value above, {@code [DEFAULT]}'s options in every section, and
 * {@code %(name)s} interpolation ({@code %%} is a percent sign). What configparser refuses when it
 * reads (a line before any section, a line without a separator, a section or option twice) is null;
 * a bad interpolation, which it refuses when a value is asked for, is a {@link BadValue}.
 */
final class FactIni {
    private static final Pattern SECTION = Pattern.compile("\\[([^]]+)]");
    private static final Pattern OPTION = Pattern.compile("(.*?)\\s*[=:]\\s*(.*)");
    private static final Pattern REFERENCE = Pattern.compile("%\\(([^)]+)\\)s");
    private static final int MAX_DEPTH = 10; // configparser's MAX_INTERPOLATION_DEPTH

    private FactIni() {}

    static Map<String, Object> parse(String text) {
        Map<String, Map<String, String>> raw = new LinkedHashMap<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        Map<String, String> section = null;
        String last = null;
        for (String line : text.split("\r?\n", -1)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) continue;
            if (Character.isWhitespace(line.charAt(0)) && section != null && last != null) {
                section.put(last, section.get(last) + "\n" + t);
                continue;
            }
            Matcher s = SECTION.matcher(t);
            if (s.matches()) {
                String name = s.group(1);
                if (name.equals("DEFAULT")) section = defaults;
                else if (raw.containsKey(name)) return null;
                else raw.put(name, section = new LinkedHashMap<>());
                last = null;
                continue;
            }
            Matcher o = OPTION.matcher(t);
            if (section == null || !o.matches() || o.group(1).isEmpty()) return null;
            last = o.group(1).strip().toLowerCase(java.util.Locale.ROOT);
            if (section.containsKey(last)) return null;
            section.put(last, o.group(2));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : raw.entrySet()) {
            Map<String, String> all = new LinkedHashMap<>(e.getValue());
            defaults.forEach(all::putIfAbsent);
            Map<String, Object> values = new LinkedHashMap<>();
            for (String k : all.keySet()) {
                values.put(k, interpolate(k, e.getKey(), all.get(k), all, 1));
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    /** configparser's BasicInterpolation, with its error messages. */
    private static String interpolate(String option, String section, String v, Map<String, String> options, int depth) {
        if (depth > MAX_DEPTH) {
            throw new BadValue("Recursion limit exceeded in value substitution: option '" + option + "' in section '" + section
                    + "' contains an interpolation key which cannot be substituted in " + MAX_DEPTH + " steps. Raw value: '" + options.get(option) + "'");
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < v.length()) {
            int p = v.indexOf('%', i);
            if (p < 0) {
                b.append(v, i, v.length());
                break;
            }
            b.append(v, i, p);
            if (v.startsWith("%%", p)) {
                b.append('%');
                i = p + 2;
                continue;
            }
            if (!v.startsWith("%(", p)) throw new BadValue("'%' must be followed by '%' or '(', found: '" + v.substring(p) + "'");
            Matcher m = REFERENCE.matcher(v).region(p, v.length());
            if (!m.lookingAt()) throw new BadValue("bad interpolation variable reference '" + v.substring(p) + "'");
            String key = m.group(1).toLowerCase(java.util.Locale.ROOT);
            String ref = options.get(key);
            if (ref == null) {
                throw new BadValue("Bad value substitution: option '" + option + "' in section '" + section + "' contains an interpolation key '"
                        + key + "' which is not a valid option name. Raw value: '" + options.get(option) + "'");
            }
            b.append(ref.contains("%") ? interpolate(option, section, ref, options, depth + 1) : ref);
            i = m.end();
        }
        return b.toString();
    }

    /** An option's value that configparser refuses when it is read (Ansible: "Failed to convert ... to JSON"). */
    static final class BadValue extends RuntimeException {
        BadValue(String message) {
            super(message);
        }
    }
}
