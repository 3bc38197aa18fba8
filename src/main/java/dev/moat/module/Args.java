package dev.moat.module;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A task's arguments after rendering, checked against the module's {@link Spec}: canonical names
 * (aliases resolved), defaults filled, values coerced to their declared types.
 */
public final class Args {
    private final Map<String, Object> values;
    private final Set<String> given;

    private Args(Map<String, Object> values, Set<String> given) {
        this.values = Collections.unmodifiableMap(values);
        this.given = Set.copyOf(given);
    }

    /** Checks {@code raw} against {@code spec}; raw values are plain Java values (already rendered). */
    public static Args check(Spec spec, Map<String, ?> raw) throws ArgException {
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> given = new java.util.HashSet<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            ArgSpec a = spec.find(e.getKey()).orElseThrow(() -> new ArgException(e.getKey(),
                    "unknown argument '" + e.getKey() + "'; expected one of " + names(spec)));
            if (given.contains(a.name())) {
                throw new ArgException(a.name(), "argument '" + a.name() + "' is given twice (an alias of it too)");
            }
            given.add(a.name());
            out.put(a.name(), coerce(a, e.getValue()));
        }
        for (ArgSpec a : spec.args()) {
            if (!given.contains(a.name())) {
                if (a.required()) throw new ArgException(a.name(), "missing required argument '" + a.name() + "'");
                out.put(a.name(), a.defaultValue());
            }
        }
        for (List<String> group : spec.exclusive()) {
            List<String> set = group.stream().filter(given::contains).toList();
            if (set.size() > 1) throw new ArgException(set.get(1), "arguments " + set + " are mutually exclusive");
        }
        for (List<String> group : spec.oneOf()) {
            if (group.stream().noneMatch(given::contains)) {
                throw new ArgException(group.get(0), "one of " + group + " is required");
            }
        }
        return new Args(out, given);
    }

    /** Whether the argument was given (not just defaulted). */
    public boolean has(String name) {
        return given.contains(name);
    }

    public Object raw(String name) {
        return values.get(name);
    }

    public String str(String name) {
        Object v = values.get(name);
        return v == null ? null : String.valueOf(v);
    }

    public String str(String name, String fallback) {
        String v = str(name);
        return v == null ? fallback : v;
    }

    public boolean bool(String name) {
        Object v = values.get(name);
        return v != null && (Boolean) v;
    }

    public Integer integer(String name) {
        Object v = values.get(name);
        return v == null ? null : ((Number) v).intValue();
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<Object>) v;
    }

    public List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        for (Object o : list(name)) out.add(String.valueOf(o));
        return out;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String name) {
        Object v = values.get(name);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    private static String names(Spec spec) {
        List<String> n = new ArrayList<>();
        for (ArgSpec a : spec.args()) n.add(a.name());
        return String.join(", ", n);
    }

    /** Coerces one value to the declared type, as Ansible's argument spec does. */
    static Object coerce(ArgSpec a, Object v) throws ArgException {
        if (v == null) return null;
        Object out;
        switch (a.type()) {
            case STRING:
                if (v instanceof Map || v instanceof List) throw type(a, v, "a string");
                out = String.valueOf(v);
                break;
            case INT:
                if (v instanceof Number n) out = n.longValue() == n.intValue() ? n.intValue() : n.longValue();
                else {
                    try {
                        out = Integer.parseInt(String.valueOf(v).trim());
                    } catch (NumberFormatException e) {
                        throw type(a, v, "an integer");
                    }
                }
                break;
            case BOOL:
                Boolean b = toBool(v);
                if (b == null) throw type(a, v, "a boolean (true/false, yes/no)");
                out = b;
                break;
            case LIST:
                if (v instanceof List<?> l) out = new ArrayList<>(l);
                else if (v instanceof Map) throw type(a, v, "a list");
                else {
                    List<Object> l = new ArrayList<>();
                    for (String s : String.valueOf(v).split(",")) if (!s.isBlank()) l.add(s.trim());
                    out = l;
                }
                break;
            case MAP:
                if (!(v instanceof Map)) throw type(a, v, "a mapping");
                out = v;
                break;
            case MODE:
                out = mode(a, v);
                break;
            default:
                out = v;
        }
        if (!a.choices().isEmpty() && !a.choices().contains(String.valueOf(out))) {
            throw new ArgException(a.name(), "argument '" + a.name() + "' is '" + out + "'; expected one of " + a.choices());
        }
        return out;
    }

    /** Ansible's boolean reading; null when {@code v} is not a boolean. */
    public static Boolean toBool(Object v) {
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) {
            if (n.intValue() == 1) return true;
            if (n.intValue() == 0) return false;
            return null;
        }
        switch (String.valueOf(v).trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1": case "y": case "t":
                return true;
            case "false": case "no": case "off": case "0": case "n": case "f": case "":
                return false;
            default:
                return null;
        }
    }

    private static String mode(ArgSpec a, Object v) throws ArgException {
        String s = String.valueOf(v).trim();
        if (v instanceof Number n) {
            // An unquoted 0644 is read by YAML 1.1 as octal 420; an unquoted 644 as decimal. Ansible
            // takes the number's octal digits; we do the same and say so in the docs.
            s = Integer.toOctalString(n.intValue());
        }
        if (s.matches("0[oO][0-7]{1,4}")) { // Python's int(mode, 8), which Ansible uses, reads 0o644
            return String.format("%04o", Integer.parseInt(s.substring(2), 8));
        }
        if (s.matches("0?[0-7]{3,4}")) {
            int m = Integer.parseInt(s, 8);
            return String.format("%04o", m);
        }
        if (s.matches("([ugoa]*[-+=][rwxXst]*)(,[ugoa]*[-+=][rwxXst]*)*")) return s;
        throw type(a, v, "a file mode such as '0644' or 'u=rw,g=r,o='");
    }

    private static ArgException type(ArgSpec a, Object v, String expected) {
        String shown = a.secret() ? "(secret)" : "'" + v + "'";
        return new ArgException(a.name(), "argument '" + a.name() + "' is " + shown + "; expected " + expected);
    }

    @Override
    public String toString() {
        return "Args" + given;
    }
}
