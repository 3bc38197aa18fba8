package dev.moat.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.module.TaskException;

/**
 * The items of a {@code with_<lookup>:} loop that only reshapes its terms, as Ansible 2.14's lookup
 * of the same name gives them: {@code items}, {@code list}, {@code flattened}, {@code indexed_items},
 * {@code dict}, {@code subelements}, {@code nested}/{@code cartesian}, {@code together},
 * {@code sequence}. {@code random_choice} is refused (a loop over a random item is not a plan);
 * lookups that read files ({@code fileglob}, {@code first_found}, ...) are the template engine's.
 */
final class LoopLookups {
    static final List<String> NAMES = List.of("items", "list", "flattened", "indexed_items", "dict", "subelements", "nested",
            "cartesian", "together", "sequence", "random_choice");

    private static final String NUM = "(0?x?[0-9a-f]+)";
    private static final Pattern SHORTCUT = Pattern.compile("^(" + NUM + "-)?" + NUM + "(/" + NUM + ")?(:(.+))?$", Pattern.CASE_INSENSITIVE);

    private LoopLookups() {}

    /**
     * The items of {@code with_<name>} over {@code terms} (the loop's value, a list, as Ansible's
     * {@code listify} makes it); {@code repr} renders a value as Python would print it, for errors.
     */
    static List<Object> items(String name, List<Object> terms, Function<Object, String> repr) throws TaskException {
        switch (name) {
            case "items": return flattenOnce(terms);
            case "list": return new ArrayList<>(terms);
            case "flattened": return flattenAll(terms, new ArrayList<>());
            case "indexed_items": {
                List<Object> flat = flattenOnce(terms);
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < flat.size(); i++) out.add(new ArrayList<>(List.of(i, flat.get(i))));
                return out;
            }
            case "dict": return dict(terms);
            case "subelements": return subelements(terms, repr);
            case "nested", "cartesian": return nested(name, terms);
            case "together": return together(terms);
            case "sequence": return sequence(terms);
            default: throw new TaskException("with_" + name + " is not supported by moat: a loop over a random choice"
                    + " differs on every run, so it cannot be checked or rolled back; pick the item with a variable");
        }
    }

    private static List<Object> flattenOnce(List<?> terms) {
        List<Object> out = new ArrayList<>();
        for (Object o : terms) {
            if (o instanceof List<?> inner) out.addAll(inner);
            else out.add(o);
        }
        return out;
    }

    private static List<Object> flattenAll(List<?> in, List<Object> out) {
        for (Object o : in) {
            if (o instanceof List<?> inner) flattenAll(inner, out);
            else out.add(o);
        }
        return out;
    }

    private static List<Object> dict(List<Object> terms) throws TaskException {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            if (!(t instanceof Map<?, ?> m)) throw new TaskException("with_dict expects a dict");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("key", e.getKey());
                item.put("value", e.getValue());
                out.add(item);
            }
        }
        return out;
    }

    /** Each (element, sub-element) pair; the element as Ansible leaves it, without the list it was paired from. */
    private static List<Object> subelements(List<Object> terms, Function<Object, String> repr) throws TaskException {
        String expects = "subelements lookup expects a list of two or three items, ";
        if (terms.size() < 2 || terms.size() > 3) throw new TaskException(expects);
        if (!(terms.get(0) instanceof List<?> || terms.get(0) instanceof Map<?, ?>) || !(terms.get(1) instanceof String path)) {
            throw new TaskException(expects + "first a dict or a list, second a string pointing to the subkey");
        }
        List<Object> elements = new ArrayList<>();
        if (terms.get(0) instanceof Map<?, ?> m) {
            if (skipped(m)) return new ArrayList<>();
            elements.addAll(m.values());
        } else {
            elements.addAll((List<?>) terms.get(0));
        }
        boolean skipMissing = false;
        if (terms.size() == 3) {
            if (!(terms.get(2) instanceof Map<?, ?> flags) || !flags.keySet().stream().allMatch("skip_missing"::equals)) {
                throw new TaskException(expects + "the optional third item must be a dict with flags ('skip_missing',)");
            }
            skipMissing = dev.moat.template.Templar.truthy(flags.get("skip_missing"));
        }
        String[] keys = path.split("\\.");
        List<Object> out = new ArrayList<>();
        for (Object e : elements) {
            if (!(e instanceof Map<?, ?> element)) throw new TaskException("subelements lookup expects a dictionary, got '" + repr.apply(e) + "'");
            if (skipped(element)) continue;
            Map<String, Object> copy = deepCopy(element);
            Map<String, Object> at = copy;
            List<?> sub = List.of();
            for (int i = 0; i < keys.length; i++) {
                boolean last = i == keys.length - 1;
                if (!at.containsKey(keys[i])) {
                    if (skipMissing) continue;
                    throw new TaskException("could not find '" + keys[i] + "' key in iterated item '" + repr.apply(at) + "'");
                }
                Object v = at.get(keys[i]);
                if (!last) {
                    if (v instanceof Map<?, ?>) {
                        @SuppressWarnings("unchecked") Map<String, Object> inner = (Map<String, Object>) v;
                        at = inner;
                    } else if (!skipMissing) {
                        throw new TaskException("the key " + keys[i] + " should point to a dictionary, got '" + repr.apply(v) + "'");
                    }
                } else {
                    if (!(v instanceof List<?> l)) throw new TaskException("the key " + keys[i] + " should point to a list, got '" + repr.apply(v) + "'");
                    sub = l;
                    at.remove(keys[i]);
                }
            }
            for (Object s : sub) out.add(new ArrayList<>(List.of(copy, s)));
        }
        return out;
    }

    private static boolean skipped(Map<?, ?> m) {
        return m.containsKey("skipped") && !Boolean.FALSE.equals(m.get("skipped"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue() instanceof Map<?, ?> inner ? deepCopy(inner) : e.getValue());
        }
        return out;
    }

    private static List<Object> nested(String name, List<Object> terms) throws TaskException {
        if (terms.isEmpty()) throw new TaskException("with_" + name + " requires at least one element in the nested list");
        List<List<Object>> rows = new ArrayList<>();
        for (Object x : listify(terms.get(0))) rows.add(new ArrayList<>(x instanceof List<?> l ? l : List.of(x)));
        for (Object t : terms.subList(1, terms.size())) {
            List<List<Object>> next = new ArrayList<>();
            for (List<Object> row : rows) {
                for (Object y : listify(t)) {
                    List<Object> r = new ArrayList<>(row);
                    if (y instanceof List<?> l) r.addAll(l);
                    else r.add(y);
                    next.add(r);
                }
            }
            rows = next;
        }
        return new ArrayList<>(rows);
    }

    /** Ansible's {@code zip_longest}: the i-th of each list, None where one is shorter. */
    private static List<Object> together(List<Object> terms) throws TaskException {
        if (terms.isEmpty()) throw new TaskException("with_together requires at least one element in each list");
        int n = 0;
        for (Object t : terms) n = Math.max(n, listify(t).size());
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Object> row = new ArrayList<>();
            for (Object t : terms) {
                List<?> l = listify(t);
                Object v = i < l.size() ? l.get(i) : null;
                if (v instanceof List<?> inner) row.addAll(inner);
                else row.add(v);
            }
            out.add(row);
        }
        return out;
    }

    private static List<?> listify(Object t) {
        return t instanceof List<?> l ? l : List.of(t);
    }

    /** {@code start=1 end=5 stride=1 format=%d} or {@code count=}, or the shorthand {@code [start-]end[/stride][:format]}. */
    private static List<Object> sequence(List<Object> terms) throws TaskException {
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            String text = String.valueOf(term).strip();
            long start = 1, stride = 1;
            Long end = null, count = null;
            String format = "%d";
            Matcher m = SHORTCUT.matcher(text);
            if (m.matches()) {
                if (m.group(2) != null) start = integer("start", m.group(2));
                end = integer("end", m.group(3));
                if (m.group(5) != null) stride = integer("stride", m.group(5));
                if (m.group(7) != null) format = m.group(7);
            } else {
                for (String kv : text.split("\\s+")) {
                    int eq = kv.indexOf('=');
                    if (eq < 0) throw new TaskException("unknown error parsing with_sequence arguments: '" + text + "'");
                    String k = kv.substring(0, eq), v = unquote(kv.substring(eq + 1));
                    switch (k) {
                        case "start" -> start = integer(k, v);
                        case "end" -> end = integer(k, v);
                        case "count" -> count = integer(k, v);
                        case "stride" -> stride = integer(k, v);
                        case "format" -> format = v;
                        default -> throw new TaskException("unrecognized arguments to with_sequence: ['" + k + "']");
                    }
                }
            }
            if (count == null && end == null) throw new TaskException("must specify count or end in with_sequence");
            if (count != null && end != null) throw new TaskException("can't specify both count and end in with_sequence");
            if (count != null) {
                if (count != 0) {
                    end = start + count * stride - 1;
                } else {
                    start = 0;
                    end = 0L;
                    stride = 0;
                }
            }
            if (stride > 0 && end < start) throw new TaskException("to count backwards make stride negative");
            if (stride < 0 && end > start) throw new TaskException("to count forward don't make stride negative");
            if (format.chars().filter(c -> c == '%').count() != 1) throw new TaskException("bad formatting string: " + format);
            if (stride == 0) continue;
            long stop = end + (stride > 0 ? 1 : -1);
            for (long i = start; stride > 0 ? i < stop : i > stop; i += stride) out.add(format(format, i));
        }
        return out;
    }

    private static String format(String format, long i) throws TaskException {
        try {
            return String.format(format.replace("%i", "%d").replace("%u", "%d"), i);
        } catch (java.util.IllegalFormatException e) {
            throw new TaskException("problem formatting " + i + " with '" + format + "'");
        }
    }

    private static long integer(String what, String v) throws TaskException {
        String s = v.strip().toLowerCase();
        try {
            if (s.startsWith("0x")) return Long.parseLong(s.substring(2), 16);
            if (s.startsWith("0o")) return Long.parseLong(s.substring(2), 8);
            // Python 3's int(v, 0): a leading zero is not octal but an error
            if (s.length() > 1 && s.startsWith("0")) throw new NumberFormatException(s);
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new TaskException("can't parse " + what + "=" + v + " as integer");
        }
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) return v.substring(1, v.length() - 1);
        return v;
    }
}
