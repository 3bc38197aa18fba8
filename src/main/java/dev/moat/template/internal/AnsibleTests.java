package dev.moat.template.internal;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.objects.collections.PyList;

import dev.moat.template.TemplateException;

/**
 * Ansible's own Jinja tests ({@code ansible/plugins/test/}): task results ({@code changed},
 * {@code failed}, ...), regular expressions, versions, sets and, on the controller, files.
 */
final class AnsibleTests {
    private AnsibleTests() {}

    /** A test written as a lambda over the value, its positional and its keyword arguments. */
    interface Body {
        boolean test(Object value, List<Object> args, Map<String, Object> kwargs);
    }

    record NamedTest(String getName, Body body) implements ExpTest {
        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            Undefined.require(var);
            List<Object> positional = new ArrayList<>();
            Map<String, Object> named = new LinkedHashMap<>();
            Object[] given = args == null ? new Object[0] : args;
            // Jinjava reads "is t(a, b)" as a test of one argument, the tuple (a, b)
            if (given.length == 1 && given[0] != null && given[0].getClass() == PyList.class) given = ((List<?>) given[0]).toArray();
            for (Object a : given) {
                if (a instanceof NamedParameter p) named.put(p.getName(), Undefined.require(p.getValue()));
                else positional.add(Undefined.require(a));
            }
            try {
                return body.test(var, positional, named);
            } catch (TemplateException e) {
                throw Frame.fail(e);
            }
        }
    }

    static List<ExpTest> all() {
        List<ExpTest> t = new ArrayList<>();
        Body failed = (v, a, k) -> truthy(result("failed", v).getOrDefault("failed", false));
        Body changed = AnsibleTests::changed;
        Body skipped = (v, a, k) -> truthy(result("skipped", v).getOrDefault("skipped", false));
        Body unreachable = (v, a, k) -> truthy(result("unreachable", v).getOrDefault("unreachable", false));
        alias(t, failed, "failed", "failure");
        alias(t, (v, a, k) -> !failed.test(v, a, k), "succeeded", "success", "successful");
        alias(t, changed, "changed", "change");
        alias(t, skipped, "skipped", "skip");
        alias(t, unreachable, "unreachable");
        alias(t, (v, a, k) -> !unreachable.test(v, a, k), "reachable");
        alias(t, (v, a, k) -> regex(v, a, k, "match"), "match");
        alias(t, (v, a, k) -> regex(v, a, k, "search"), "search");
        alias(t, (v, a, k) -> regex(v, a, k, str(arg(a, k, 3, "match_type", "search"))), "regex");
        alias(t, AnsibleTests::version, "version", "version_compare");
        alias(t, (v, a, k) -> list("subset", v).stream().allMatch(x -> ListFilters.contains(list("subset", arg(a, k, 0, "b", null)), x)),
                "subset", "issubset");
        alias(t, (v, a, k) -> list("superset", arg(a, k, 0, "b", null)).stream().allMatch(x -> ListFilters.contains(list("superset", v), x)),
                "superset", "issuperset");
        alias(t, (v, a, k) -> v instanceof String s ? s.contains(str(arg(a, k, 0, "value", null)))
                : ListFilters.contains(list("contains", v), arg(a, k, 0, "value", null)), "contains");
        alias(t, (v, a, k) -> list("any", v).stream().anyMatch(AnsibleFilters::truthy), "any");
        alias(t, (v, a, k) -> list("all", v).stream().allMatch(AnsibleFilters::truthy), "all");
        alias(t, (v, a, k) -> truthy(bool(v, a, k)), "truthy");
        alias(t, (v, a, k) -> !truthy(bool(v, a, k)), "falsy");
        alias(t, path(p -> Files.isDirectory(p)), "directory", "is_dir");
        alias(t, path(p -> Files.isRegularFile(p)), "file", "is_file");
        alias(t, path(Files::isSymbolicLink), "link", "is_link");
        alias(t, path(p -> Files.exists(p)), "exists");
        alias(t, path(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)), "link_exists");
        alias(t, (v, a, k) -> str(v).startsWith("/"), "abs", "is_abs");
        return t;
    }

    private static void alias(List<ExpTest> t, Body body, String... names) {
        for (String n : names) t.add(new NamedTest(n, body));
    }

    private static boolean truthy(Object v) {
        return AnsibleFilters.truthy(v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(String test, Object v) {
        if (!(v instanceof Map)) throw new TemplateException("The '" + test + "' test expects a dictionary");
        return (Map<String, Object>) v;
    }

    private static boolean changed(Object v, List<Object> a, Map<String, Object> k) {
        Map<String, Object> r = result("changed", v);
        if (r.containsKey("changed")) return truthy(r.get("changed"));
        if (r.get("results") instanceof List<?> results && !results.isEmpty() && results.get(0) instanceof Map) {
            for (Object o : results) {
                if (o instanceof Map<?, ?> m && truthy(m.containsKey("changed") ? m.get("changed") : false)) return true;
            }
        }
        return false;
    }

    private static boolean regex(Object v, List<Object> a, Map<String, Object> k, String how) {
        var p = PyRegex.compile(str(arg(a, k, 0, "pattern", "")), truthy(arg(a, k, 1, "ignorecase", false)),
                truthy(arg(a, k, 2, "multiline", false)));
        var m = p.matcher(PyRepr.str(v));
        return how.equals("match") ? m.lookingAt() : m.find();
    }

    private static Object bool(Object v, List<Object> a, Map<String, Object> k) {
        if (truthy(arg(a, k, 0, "convert_bool", false))) {
            Boolean b = dev.moat.module.Args.toBool(v);
            if (b != null) return b;
        }
        return v;
    }

    private static Body path(Predicate<Path> check) {
        return (v, a, k) -> {
            Path p = Path.of(str(v));
            Frame f = Frame.current();
            if (!p.isAbsolute() && f.baseDir() != null) p = f.baseDir().resolve(p);
            return check.test(p);
        };
    }

    private static boolean version(Object v, List<Object> a, Map<String, Object> k) {
        Object version = arg(a, k, 0, "version", null);
        String op = str(arg(a, k, 1, "operator", "eq"));
        Object strict = arg(a, k, 2, "strict", null);
        Object type = arg(a, k, 3, "version_type", null);
        if (strict != null && type != null) throw new TemplateException("Cannot specify both 'strict' and 'version_type'");
        if (!truthy(v)) throw new TemplateException("Input version value cannot be empty");
        if (!truthy(version)) throw new TemplateException("Version parameter to compare against cannot be empty");
        String kind = truthy(strict) ? "strict" : type == null ? "loose" : str(type);
        int c = Versions.compare(PyRepr.str(v), PyRepr.str(version), kind);
        switch (op) {
            case "==": case "=": case "eq": return c == 0;
            case "<": case "lt": return c < 0;
            case "<=": case "le": return c <= 0;
            case ">": case "gt": return c > 0;
            case ">=": case "ge": return c >= 0;
            case "!=": case "<>": case "ne": return c != 0;
            default:
                throw new TemplateException("Invalid operator type (" + op + "). Must be one of '==', '=', 'eq', '<', 'lt', "
                        + "'<=', 'le', '>', 'gt', '>=', 'ge', '!=', '<>', 'ne'");
        }
    }

    private static List<?> list(String test, Object v) {
        if (v instanceof Collection<?> c) return new ArrayList<>(c);
        if (v instanceof Map<?, ?> m) return new ArrayList<>(m.keySet());
        if (v instanceof String s) return s.chars().mapToObj(ch -> String.valueOf((char) ch)).toList();
        throw new TemplateException("the '" + test + "' test expects a list, got " + AnsibleFilters.typeName(v));
    }

    private static Object arg(List<Object> a, Map<String, Object> k, int pos, String name, Object fallback) {
        if (k.containsKey(name)) return k.get(name);
        if (pos >= 0 && pos < a.size()) return a.get(pos);
        return fallback;
    }

    private static String str(Object v) {
        return v == null ? "" : PyRepr.str(v);
    }
}
