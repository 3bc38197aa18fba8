package dev.moat.template.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.module.Args;
import dev.moat.template.TemplateException;
import dev.moat.yaml.YamlLoader;

/**
 * Ansible's own filters that Jinjava lacks or does differently, with Ansible's names and argument
 * conventions. Each is registered under its name, replacing a Jinjava filter of that name.
 */
final class AnsibleFilters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHELL_SAFE = Pattern.compile("[\\w@%+=:,./-]+");

    private AnsibleFilters() {}

    static List<NamedFilter> all() {
        List<NamedFilter> f = new ArrayList<>();
        f.add(new NamedFilter("default", AnsibleFilters::defaultFilter));
        f.add(new NamedFilter("d", AnsibleFilters::defaultFilter));
        f.add(new NamedFilter("mandatory", (v, a, k) -> {
            if (v instanceof Undefined u) {
                Object msg = arg(a, k, 0, "msg", null);
                throw Frame.fail(new TemplateException(msg != null ? String.valueOf(msg)
                        : "mandatory variable '" + u.name() + "' is not defined", u.name()));
            }
            return v;
        }));
        f.add(new NamedFilter("bool", (v, a, k) -> {
            if (v == null) return false;
            Boolean b = Args.toBool(v);
            return b != null && b;
        }));
        f.add(new NamedFilter("ternary", (v, a, k) -> {
            if (v == null && a.length > 2) return a[2];
            return truthy(v) ? arg(a, k, 0, "true_val", null) : arg(a, k, 1, "false_val", null);
        }));
        f.add(new NamedFilter("to_json", (v, a, k) -> PyJson.dumps(v, toInt(arg(a, k, -1, "indent", 0)),
                truthy(arg(a, k, -1, "sort_keys", false)))));
        f.add(new NamedFilter("to_nice_json", (v, a, k) -> PyJson.dumps(v, toInt(arg(a, k, -1, "indent", 4)), true)));
        f.add(new NamedFilter("to_yaml", (v, a, k) -> PyYaml.dump(v, toInt(arg(a, k, -1, "indent", 2)), true)));
        f.add(new NamedFilter("to_nice_yaml", (v, a, k) -> PyYaml.dump(v, toInt(arg(a, k, 0, "indent", 4)), false)));
        f.add(new NamedFilter("from_json", (v, a, k) -> {
            try {
                return Plain.of(JSON.readValue(String.valueOf(v), Object.class));
            } catch (JsonProcessingException e) {
                throw fail("from_json: not JSON: " + e.getOriginalMessage());
            }
        }));
        f.add(new NamedFilter("from_yaml", (v, a, k) -> {
            var node = YamlLoader.parse(String.valueOf(v), Path.of("<from_yaml>"));
            return node == null ? null : node.toPlain();
        }));
        f.add(new NamedFilter("quote", (v, a, k) -> shellQuote(v == null ? "" : String.valueOf(v))));
        f.add(new NamedFilter("regex_replace", (v, a, k) -> PyRegex.sub(
                PyRegex.compile(str(arg(a, k, 0, "pattern", "")), flag(k, "ignorecase"), flag(k, "multiline")),
                str(arg(a, k, 1, "replacement", "")), str(v), toInt(arg(a, k, 2, "count", 0)))));
        f.add(new NamedFilter("regex_search", AnsibleFilters::regexSearch));
        f.add(new NamedFilter("regex_findall", (v, a, k) -> {
            Matcher m = PyRegex.compile(str(arg(a, k, 0, "pattern", "")), flag(k, "ignorecase"), flag(k, "multiline")).matcher(str(v));
            List<Object> out = new ArrayList<>();
            while (m.find()) {
                if (m.groupCount() == 0) out.add(m.group());
                else if (m.groupCount() == 1) out.add(m.group(1));
                else {
                    List<Object> groups = new ArrayList<>();
                    for (int i = 1; i <= m.groupCount(); i++) groups.add(m.group(i));
                    out.add(groups);
                }
            }
            return out;
        }));
        f.add(new NamedFilter("regex_escape", (v, a, k) -> str(v).replaceAll("([^\\w])", "\\\\$1")));
        f.add(new NamedFilter("basename", (v, a, k) -> {
            String s = str(v);
            return s.substring(s.lastIndexOf('/') + 1);
        }));
        f.add(new NamedFilter("dirname", (v, a, k) -> {
            String s = str(v);
            int i = s.lastIndexOf('/');
            if (i < 0) return "";
            String head = s.substring(0, i + 1);
            return head.matches("/+") ? head : head.replaceAll("/+$", "");
        }));
        f.add(new NamedFilter("b64encode", (v, a, k) -> Base64.getEncoder().encodeToString(str(v).getBytes(StandardCharsets.UTF_8))));
        f.add(new NamedFilter("b64decode", (v, a, k) -> {
            try {
                return new String(Base64.getMimeDecoder().decode(str(v)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw fail("b64decode: not base64: " + e.getMessage());
            }
        }));
        f.add(new NamedFilter("combine", AnsibleFilters::combine));
        f.add(new NamedFilter("dict2items", (v, a, k) -> {
            if (!(v instanceof Map<?, ?> m)) throw fail("dict2items expects a mapping, got " + typeName(v));
            String kn = str(arg(a, k, -1, "key_name", "key"));
            String vn = str(arg(a, k, -1, "value_name", "value"));
            List<Object> out = new ArrayList<>();
            m.forEach((key, val) -> {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put(kn, Plain.of(key));
                item.put(vn, Plain.of(val));
                out.add(item);
            });
            return out;
        }));
        f.add(new NamedFilter("items2dict", (v, a, k) -> {
            if (!(v instanceof Collection<?> c)) throw fail("items2dict expects a list, got " + typeName(v));
            String kn = str(arg(a, k, -1, "key_name", "key"));
            String vn = str(arg(a, k, -1, "value_name", "value"));
            Map<String, Object> out = new LinkedHashMap<>();
            for (Object o : c) {
                if (!(o instanceof Map<?, ?> item) || !item.containsKey(kn) || !item.containsKey(vn)) {
                    throw fail("items2dict: each item needs '" + kn + "' and '" + vn + "' keys");
                }
                out.put(str(item.get(kn)), Plain.of(item.get(vn)));
            }
            return out;
        }));
        f.add(new NamedFilter("flatten", (v, a, k) -> {
            Object levels = arg(a, k, 0, "levels", null);
            List<Object> out = new ArrayList<>();
            flatten(v, levels == null ? Integer.MAX_VALUE : toInt(levels), out);
            return out;
        }));
        f.add(new NamedFilter("max", (v, a, k) -> extreme(v, true)));
        f.add(new NamedFilter("min", (v, a, k) -> extreme(v, false)));
        return f;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object extreme(Object v, boolean max) {
        if (!(v instanceof Collection<?> c)) throw fail((max ? "max" : "min") + " expects a list, got " + typeName(v));
        Object best = null;
        for (Object o : c) {
            Object p = Plain.of(o);
            if (best == null) {
                best = p;
                continue;
            }
            int cmp;
            if (p instanceof Number x && best instanceof Number y) cmp = Double.compare(x.doubleValue(), y.doubleValue());
            else if (p instanceof Comparable x && p.getClass() == best.getClass()) cmp = x.compareTo(best);
            else throw fail((max ? "max" : "min") + ": cannot compare " + typeName(p) + " with " + typeName(best));
            if (max ? cmp > 0 : cmp < 0) best = p;
        }
        return best;
    }

    private static Object defaultFilter(Object v, Object[] a, Map<String, Object> k) {
        Object fallback = arg(a, k, 0, "default_value", "");
        boolean onFalsy = truthy(arg(a, k, 1, "boolean", false));
        if (v instanceof Undefined) return fallback;
        if (onFalsy && !truthy(v)) return fallback;
        return v;
    }

    private static Object regexSearch(Object v, Object[] a, Map<String, Object> k) {
        for (int i = 1; i < a.length; i++) {
            String ref = str(a[i]);
            if (!ref.matches("\\\\\\d+") && !ref.matches("\\\\g<\\w+>")) {
                throw fail("regex_search: unknown argument '" + ref + "' (a group is '\\\\1' or '\\\\g<name>')");
            }
        }
        Matcher m = PyRegex.compile(str(arg(a, k, 0, "pattern", "")), flag(k, "ignorecase"), flag(k, "multiline")).matcher(str(v));
        if (!m.find()) return null;
        if (a.length <= 1) return m.group();
        List<Object> out = new ArrayList<>();
        for (int i = 1; i < a.length; i++) {
            String ref = str(a[i]);
            if (ref.startsWith("\\g")) out.add(m.group(ref.substring(3, ref.length() - 1)));
            else out.add(m.group(Integer.parseInt(ref.substring(1))));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object combine(Object v, Object[] a, Map<String, Object> k) {
        boolean recursive = truthy(k.getOrDefault("recursive", false));
        List<Object> sources = new ArrayList<>();
        if (v instanceof Collection<?> c) sources.addAll(c);
        else sources.add(v);
        for (Object o : a) sources.add(o);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object s : sources) {
            if (!(s instanceof Map)) throw fail("combine expects mappings, got " + typeName(s));
            merge(out, (Map<String, Object>) Plain.of(s), recursive, str(k.getOrDefault("list_merge", "replace")));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from, boolean recursive, String listMerge) {
        from.forEach((key, val) -> {
            Object old = into.get(key);
            if (recursive && old instanceof Map && val instanceof Map) {
                Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) old);
                merge(m, (Map<String, Object>) val, true, listMerge);
                into.put(key, m);
            } else if (old instanceof List<?> x && val instanceof List<?> y) {
                into.put(key, mergeLists(x, y, listMerge));
            } else {
                into.put(key, val);
            }
        });
    }

    /** Ansible's {@code list_merge} of {@code combine}: what becomes of a key both mappings hold as a list. */
    private static List<?> mergeLists(List<?> x, List<?> y, String how) {
        List<Object> out = new ArrayList<>();
        switch (how) {
            case "replace": return y;
            case "keep": return x;
            case "append": out.addAll(x); out.addAll(y); return out;
            case "prepend": out.addAll(y); out.addAll(x); return out;
            case "append_rp": x.stream().filter(z -> !y.contains(z)).forEach(out::add); out.addAll(y); return out;
            case "prepend_rp": out.addAll(y); x.stream().filter(z -> !y.contains(z)).forEach(out::add); return out;
            default: throw fail("combine: list_merge must be one of replace, keep, append, prepend, append_rp, prepend_rp");
        }
    }

    private static void flatten(Object v, int levels, List<Object> out) {
        if (!(v instanceof Collection<?> c)) {
            out.add(Plain.of(v));
            return;
        }
        for (Object o : c) {
            if (o instanceof Collection<?> && levels > 0) flatten(o, levels - 1, out);
            else out.add(Plain.of(o));
        }
    }

    /** Python's {@code shlex.quote}. */
    static String shellQuote(String s) {
        if (s.isEmpty()) return "''";
        if (SHELL_SAFE.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    /** Jinja's truth: none, false, 0, empty strings and collections are false. */
    static boolean truthy(Object v) {
        if (v instanceof Undefined u) throw u.use();
        return dev.moat.template.Templar.truthy(v);
    }

    static Object arg(Object[] a, Map<String, Object> k, int pos, String name, Object fallback) {
        if (k.containsKey(name)) return k.get(name);
        if (pos >= 0 && pos < a.length) return a[pos];
        return fallback;
    }

    private static boolean flag(Map<String, Object> k, String name) {
        return truthy(k.getOrDefault(name, false));
    }

    static String str(Object v) {
        return v == null ? "" : PyRepr.str(Plain.of(v));
    }

    static int toInt(Object v) {
        if (v instanceof Number n) return n.intValue();
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw fail("expected an integer, got '" + v + "'");
        }
    }

    static String typeName(Object v) {
        if (v == null) return "none";
        if (v instanceof Map) return "a mapping";
        if (v instanceof Collection) return "a list";
        if (v instanceof CharSequence) return "a string";
        if (v instanceof Number) return "a number";
        if (v instanceof Boolean) return "a boolean";
        return v.getClass().getSimpleName();
    }

    static TemplateException fail(String message) {
        return Frame.fail(new TemplateException(message));
    }
}
