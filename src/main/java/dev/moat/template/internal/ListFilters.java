package dev.moat.template.internal;

import static dev.moat.template.internal.AnsibleFilters.arg;
import static dev.moat.template.internal.AnsibleFilters.fail;
import static dev.moat.template.internal.AnsibleFilters.typeName;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Filters over lists and mappings where Jinjava lacks them or differs from Jinja and Ansible:
 * {@code zip}, {@code product}, the set filters, {@code sort(attribute=)}, {@code sum} that keeps
 * integers, {@code list} of a mapping (its keys), {@code dictsort} and {@code items()} as pairs.
 */
final class ListFilters {
    private ListFilters() {}

    static List<NamedFilter> all() {
        List<NamedFilter> f = new ArrayList<>();
        f.add(new NamedFilter("zip", (v, a, k) -> zip(v, a, false, null)));
        f.add(new NamedFilter("zip_longest", (v, a, k) -> zip(v, a, true, k.get("fillvalue"))));
        f.add(new NamedFilter("product", (v, a, k) -> product(v, a)));
        f.add(new NamedFilter("unique", (v, a, k) -> unique(list("unique", v))));
        f.add(new NamedFilter("union", (v, a, k) -> {
            List<Object> all = new ArrayList<>(list("union", v));
            all.addAll(list("union", arg(a, k, 0, "b", null)));
            return unique(all);
        }));
        f.add(new NamedFilter("intersect", (v, a, k) -> {
            List<Object> b = list("intersect", arg(a, k, 0, "b", null));
            return unique(list("intersect", v).stream().filter(x -> contains(b, x)).toList());
        }));
        f.add(new NamedFilter("difference", (v, a, k) -> {
            List<Object> b = list("difference", arg(a, k, 0, "b", null));
            return unique(list("difference", v).stream().filter(x -> !contains(b, x)).toList());
        }));
        f.add(new NamedFilter("symmetric_difference", (v, a, k) -> {
            List<Object> x = list("symmetric_difference", v);
            List<Object> y = list("symmetric_difference", arg(a, k, 0, "b", null));
            List<Object> all = new ArrayList<>(x);
            all.addAll(y);
            return unique(all).stream().filter(e -> !(contains(x, e) && contains(y, e))).toList();
        }));
        f.add(new NamedFilter("sort", ListFilters::sort));
        f.add(new NamedFilter("sum", ListFilters::sum));
        f.add(new NamedFilter("list", (v, a, k) -> list("list", v)));
        f.add(new NamedFilter("dictsort", ListFilters::dictsort));
        f.add(new NamedFilter("batch", (v, a, k) -> {
            List<Object> items = list("batch", v);
            int size = AnsibleFilters.toInt(arg(a, k, 0, "linecount", 1));
            boolean fill = a.length > 1 || k.containsKey("fill_with");
            Object filler = arg(a, k, 1, "fill_with", null);
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i += size) {
                List<Object> chunk = new ArrayList<>(items.subList(i, Math.min(items.size(), i + size)));
                while (fill && chunk.size() < size) chunk.add(filler);
                out.add(chunk);
            }
            return out;
        }));
        f.add(new NamedFilter("subelements", ListFilters::subelements));
        f.add(new NamedFilter("moat_slice", ListFilters::slice));
        f.add(JsonQuery.filter());
        return f;
    }

    /** {@code community.general.dict}: Python's {@code dict()} of key-value pairs. */
    static NamedFilter dict() {
        return new NamedFilter("dict", (v, a, k) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Object pair : list("dict", v)) {
                List<Object> kv = list("dict", pair);
                if (kv.size() != 2) throw fail("dict: each item must be a pair, got " + PyRepr.repr(pair));
                out.put(PyRepr.str(kv.get(0)), kv.get(1));
            }
            return out;
        });
    }

    /** A value as a Python list: a mapping gives its keys, a string its characters. */
    static List<Object> list(String filter, Object v) {
        if (v instanceof Map<?, ?> m) return new ArrayList<>(m.keySet());
        if (v instanceof Collection<?> c) return new ArrayList<>(c);
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            it.forEach(out::add);
            return out;
        }
        if (v instanceof Object[] arr) return new ArrayList<>(java.util.Arrays.asList(arr));
        if (v instanceof CharSequence s) return s.toString().chars().mapToObj(c -> (Object) String.valueOf((char) c)).toList();
        throw fail(filter + " expects a list, got " + typeName(v));
    }

    private static List<Object> unique(Collection<?> c) {
        List<Object> out = new ArrayList<>();
        for (Object o : c) if (!contains(out, o)) out.add(o);
        return out;
    }

    /** Python's {@code x in list}: numbers equal by value ({@code 22 == 22.0}), as do lists and mappings of them. */
    static boolean contains(Collection<?> c, Object x) {
        for (Object o : c) if (equal(o, x)) return true;
        return false;
    }

    /** Python's {@code ==}. */
    static boolean equal(Object a, Object b) {
        if (a instanceof Boolean x) a = x ? 1 : 0;
        if (b instanceof Boolean y) b = y ? 1 : 0;
        if (a instanceof Number x && b instanceof Number y) return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!equal(x.get(i), y.get(i))) return false;
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) return false;
            for (Map.Entry<?, ?> e : x.entrySet()) if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) return false;
            return true;
        }
        if (a instanceof CharSequence x && b instanceof CharSequence y) return x.toString().equals(y.toString());
        return java.util.Objects.equals(a, b);
    }

    private static List<Object> zip(Object v, Object[] a, boolean longest, Object fill) {
        List<List<Object>> lists = new ArrayList<>();
        lists.add(list("zip", v));
        for (Object o : a) lists.add(list("zip", o));
        int n = longest ? lists.stream().mapToInt(List::size).max().orElse(0) : lists.stream().mapToInt(List::size).min().orElse(0);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Object> row = new ArrayList<>();
            for (List<Object> l : lists) row.add(i < l.size() ? l.get(i) : fill);
            out.add(new Tuple(row));
        }
        return out;
    }

    private static List<Object> product(Object v, Object[] a) {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(new ArrayList<>());
        List<Object> lists = new ArrayList<>();
        lists.add(v);
        for (Object o : a) lists.add(o);
        for (Object l : lists) {
            List<List<Object>> next = new ArrayList<>();
            for (List<Object> row : rows) {
                for (Object x : list("product", l)) {
                    List<Object> r = new ArrayList<>(row);
                    r.add(x);
                    next.add(r);
                }
            }
            rows = next;
        }
        List<Object> out = new ArrayList<>();
        for (List<Object> r : rows) out.add(new Tuple(r));
        return out;
    }

    private static Object sort(Object v, Object[] a, Map<String, Object> k) {
        boolean reverse = AnsibleFilters.truthy(arg(a, k, 0, "reverse", false));
        boolean caseSensitive = AnsibleFilters.truthy(arg(a, k, 1, "case_sensitive", false));
        Object attribute = arg(a, k, 2, "attribute", null);
        List<Object> items = new ArrayList<>(list("sort", v));
        Comparator<Object> cmp = (x, y) -> compare(key(x, attribute, caseSensitive), key(y, attribute, caseSensitive));
        items.sort(reverse ? cmp.reversed() : cmp);
        return items;
    }

    private static Object key(Object item, Object attribute, boolean caseSensitive) {
        Object v = item;
        if (attribute != null) {
            for (String part : String.valueOf(attribute).split("\\.")) v = attribute(v, part);
        }
        if (!caseSensitive && v instanceof CharSequence s) return s.toString().toLowerCase();
        return v;
    }

    /** Jinja's attribute lookup for {@code sort}, {@code map} and {@code sum}: a key, else an index. */
    static Object attribute(Object v, String name) {
        if (v instanceof Map<?, ?> m) {
            if (m.containsKey(name)) return m.get(name);
            throw fail("'" + AnsibleFilters.typeName(v) + "' has no attribute '" + name + "'");
        }
        if (v instanceof List<?> l && name.matches("\\d+")) return l.get(Integer.parseInt(name));
        throw fail(AnsibleFilters.typeName(v) + " has no attribute '" + name + "'");
    }

    /** Python's ordering of two values of one kind: numbers, strings, booleans, lists. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object x, Object y) {
        if (x instanceof Number a && y instanceof Number b) return Double.compare(a.doubleValue(), b.doubleValue());
        if (x instanceof List<?> a && y instanceof List<?> b) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int c = compare(a.get(i), b.get(i));
                if (c != 0) return c;
            }
            return Integer.compare(a.size(), b.size());
        }
        if (x instanceof Comparable a && y != null && x.getClass() == y.getClass()) return a.compareTo(y);
        throw fail("'<' not supported between " + typeName(x) + " and " + typeName(y));
    }

    private static Object sum(Object v, Object[] a, Map<String, Object> k) {
        Object attribute = arg(a, k, 0, "attribute", null);
        Object total = arg(a, k, 1, "start", 0);
        for (Object o : list("sum", v)) {
            Object x = o;
            if (attribute != null) for (String part : String.valueOf(attribute).split("\\.")) x = attribute(x, part);
            total = add(total, x);
        }
        return total;
    }

    private static Object add(Object x, Object y) {
        x = Plain.of(x);
        y = Plain.of(y);
        if (x instanceof Number a && y instanceof Number b) {
            if (a instanceof Double || b instanceof Double) return a.doubleValue() + b.doubleValue();
            return Plain.of(Math.addExact(a.longValue(), b.longValue()));
        }
        if (x instanceof List<?> a && y instanceof List<?> b) {
            List<Object> out = new ArrayList<>(a);
            out.addAll(b);
            return out;
        }
        throw fail("sum: unsupported operand types " + typeName(x) + " and " + typeName(y));
    }

    private static Object dictsort(Object v, Object[] a, Map<String, Object> k) {
        if (!(v instanceof Map<?, ?> m)) throw fail("dictsort expects a mapping, got " + typeName(v));
        boolean caseSensitive = AnsibleFilters.truthy(arg(a, k, 0, "case_sensitive", false));
        boolean byValue = "value".equals(arg(a, k, 1, "by", "key"));
        boolean reverse = AnsibleFilters.truthy(arg(a, k, 2, "reverse", false));
        List<Object> pairs = new ArrayList<>();
        m.forEach((key, val) -> pairs.add(Tuple.of(key, val)));
        Comparator<Object> cmp = (x, y) -> {
            int i = byValue ? 1 : 0;
            Object p = ((List<?>) x).get(i);
            Object q = ((List<?>) y).get(i);
            if (!caseSensitive && p instanceof String s && q instanceof String t) return s.toLowerCase().compareTo(t.toLowerCase());
            return compare(p, q);
        };
        pairs.sort(reverse ? cmp.reversed() : cmp);
        return pairs;
    }

    private static Object subelements(Object v, Object[] a, Map<String, Object> k) {
        String path = String.valueOf(arg(a, k, 0, "subelements", ""));
        boolean skipMissing = AnsibleFilters.truthy(arg(a, k, 1, "skip_missing", false));
        List<Object> items = v instanceof Map<?, ?> m ? new ArrayList<>(m.values()) : list("subelements", v);
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            Object sub = item;
            boolean missing = false;
            for (String part : path.split("\\.")) {
                if (sub instanceof Map<?, ?> m && m.containsKey(part)) sub = m.get(part);
                else {
                    missing = true;
                    break;
                }
            }
            if (missing) {
                if (skipMissing) continue;
                throw fail("could not find '" + path + "' key in iterated item '" + PyRepr.repr(item) + "'");
            }
            if (!(sub instanceof List<?> l)) throw fail("the key " + path + " should point to a list, got '" + PyRepr.repr(sub) + "'");
            for (Object s : l) out.add(Tuple.of(item, s));
        }
        return out;
    }

    /** Python's {@code x[start:stop:step]} of a string or a list. */
    private static Object slice(Object v, Object[] a, Map<String, Object> k) {
        boolean text = v instanceof CharSequence;
        List<Object> items = list("slice", v);
        int n = items.size();
        int step = a.length > 2 && a[2] != null ? AnsibleFilters.toInt(a[2]) : 1;
        if (step == 0) throw fail("slice step cannot be zero");
        int start = bound(a.length > 0 ? a[0] : null, n, step, true);
        int stop = bound(a.length > 1 ? a[1] : null, n, step, false);
        List<Object> out = new ArrayList<>();
        for (int i = start; step > 0 ? i < stop : i > stop; i += step) out.add(items.get(i));
        if (!text) return out;
        StringBuilder s = new StringBuilder();
        out.forEach(s::append);
        return s.toString();
    }

    private static int bound(Object v, int n, int step, boolean start) {
        if (v == null) return step > 0 ? (start ? 0 : n) : (start ? n - 1 : -1);
        int i = AnsibleFilters.toInt(v);
        if (i < 0) i += n;
        if (step > 0) return Math.max(0, Math.min(i, n));
        return Math.max(-1, Math.min(i, n - 1));
    }

    /** {@code dict.items()}: the pairs, in order. */
    static List<Object> items(Map<?, ?> m) {
        List<Object> out = new ArrayList<>();
        m.forEach((key, val) -> out.add(Tuple.of(key, val)));
        return out;
    }

    static Map<String, Object> copy(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((key, val) -> out.put(String.valueOf(key), val));
        return out;
    }
}
