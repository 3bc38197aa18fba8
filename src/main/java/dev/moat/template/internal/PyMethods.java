package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jinjava.javax.el.ELContext;

/**
 * The Python methods Ansible's Jinja allows on strings ({@code .split()}, {@code .startswith()},
 * {@code .format()}, ...), mappings ({@code .items()}, {@code .keys()}, {@code .values()},
 * {@code .get()}), lists ({@code .index()}, {@code .count()}) timedeltas ({@code .total_seconds()}), cyclers ({@code .next()},
 * {@code .reset()}) and joiners (called), with Python's meaning rather than
 * Java's ({@code 'a,b'.split(',')} is not a regular expression split).
 */
final class PyMethods extends ReadOnlyResolver {
    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base == null || method == null) return null;
        String name = method.toString();
        Object[] args = params == null ? new Object[0] : params;
        if (base instanceof TimeDelta t && name.equals("total_seconds") && args.length == 0) {
            context.setPropertyResolved(true);
            return t.totalSeconds();
        }
        if (base instanceof Callables.Cycler c && args.length == 0 && (name.equals("next") || name.equals("reset"))) {
            context.setPropertyResolved(true);
            return name.equals("next") ? c.next() : c.reset();
        }
        if (base instanceof Callables.Joiner j && name.equals(PySyntax.CALL) && args.length == 0) {
            context.setPropertyResolved(true);
            return j.call();
        }
        if (!(base instanceof CharSequence || base instanceof Map || base instanceof List)) return null;
        for (Object a : args) Undefined.require(a);
        Object result = PyStrings.NONE;
        if (base instanceof CharSequence s) result = PyStrings.call(s.toString(), name, args);
        else if (base instanceof Map<?, ?> m) result = mapMethod(m, name, args);
        else if (base instanceof List<?> l) result = listMethod(l, name, args);
        if (result == PyStrings.NONE) return null;
        context.setPropertyResolved(true);
        return result;
    }

    private static Object mapMethod(Map<?, ?> m, String name, Object[] a) {
        switch (name) {
            case "items": return ListFilters.items(m);
            case "keys": return new ArrayList<>(m.keySet());
            case "values": return new ArrayList<>(m.values());
            case "get": return m.containsKey(a[0]) ? m.get(a[0]) : a.length > 1 ? a[1] : null;
            case "copy": return ListFilters.copy(m);
            default: return PyStrings.NONE;
        }
    }

    private static Object listMethod(List<?> l, String name, Object[] a) {
        switch (name) {
            case "index": {
                int i = -1;
                for (int j = 0; j < l.size() && i < 0; j++) if (ListFilters.equal(l.get(j), a[0])) i = j;
                if (i < 0) throw Frame.fail(new dev.moat.template.TemplateException(PyRepr.repr(a[0]) + " is not in list"));
                return i;
            }
            case "count": return (int) l.stream().filter(x -> ListFilters.equal(x, a[0])).count();
            default: return PyStrings.NONE;
        }
    }
}
