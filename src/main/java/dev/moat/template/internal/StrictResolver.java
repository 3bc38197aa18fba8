package dev.moat.template.internal;

import java.util.List;
import java.util.Map;

import jinjava.javax.el.ELContext;

/**
 * Placed before Jinjava's own resolvers: an attribute of an undefined value stays undefined
 * (so {@code foo.bar | default(1)} works), and a missing key of a mapping or an index past the end
 * of a list is undefined rather than null, as in Ansible.
 */
final class StrictResolver extends ReadOnlyResolver {
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof Undefined) {
            context.setPropertyResolved(true);
            return base;
        }
        if (base instanceof Map<?, ?> m && property != null) {
            if (!m.containsKey(property) && !m.containsKey(String.valueOf(property))) {
                context.setPropertyResolved(true);
                return Undefined.key(property);
            }
        } else if (base instanceof List<?> l && property != null && String.valueOf(property).matches("-?\\d+")) {
            int i = Integer.parseInt(String.valueOf(property));
            if (i >= l.size() || i < -l.size()) {
                context.setPropertyResolved(true);
                return Undefined.of("[" + i + "]", "list index " + i + " out of range (the list has " + l.size() + " items)");
            }
        }
        return null;
    }
}
