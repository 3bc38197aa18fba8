package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.hubspot.jinjava.objects.SafeString;

/**
 * Turns what Jinjava hands back (its size-limiting lists and maps, safe strings, longs) into the
 * plain values the rest of moat uses: ArrayList, LinkedHashMap, String, Integer (or Long when it
 * does not fit), Double, Boolean, null. An undefined value fails here.
 */
public final class Plain {
    private Plain() {}

    public static Object of(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Double) return v;
        if (v instanceof Undefined u) throw u.use();
        if (v instanceof SafeString s) return s.getValue();
        if (v instanceof Long l) {
            if (l == l.intValue()) return Integer.valueOf(l.intValue());
            return l;
        }
        if (v instanceof Short || v instanceof Byte) return ((Number) v).intValue();
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof java.math.BigDecimal d) return d.doubleValue();
        if (v instanceof java.math.BigInteger b) return of(b.longValue());
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(of(e.getKey())), of(e.getValue()));
            return out;
        }
        if (v instanceof Map.Entry<?, ?> e) {
            List<Object> pair = new ArrayList<>();
            pair.add(of(e.getKey()));
            pair.add(of(e.getValue()));
            return pair;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            for (Object o : it) out.add(of(o));
            return out;
        }
        if (v instanceof Object[] a) {
            List<Object> out = new ArrayList<>();
            for (Object o : a) out.add(of(o));
            return out;
        }
        if (v instanceof CharSequence || v instanceof Character) return v.toString();
        if (v instanceof Number) return v;
        return v.toString();
    }
}
