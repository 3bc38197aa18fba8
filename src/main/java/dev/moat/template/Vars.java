package dev.moat.template;

import java.util.Map;
import java.util.Set;

/**
 * The variables a template sees. {@link #get} returns the value ready to use: an implementation
 * that holds raw values (which may themselves be templates, as Ansible's vars are) renders them
 * on demand; see the playbook package's {@code VarScope}.
 */
public interface Vars {
    /** Whether {@code name} is defined (a variable set to null is defined). */
    boolean has(String name);

    /** The value of {@code name}, rendered; only called when {@link #has} is true. */
    Object get(String name);

    /** The names defined, for listings such as {@code hostvars}; may be expensive. */
    Set<String> names();

    /**
     * A read-only view of these variables as a map whose values are rendered when read: what another
     * host sees as {@code hostvars[this_host]}, so that its templated variables render lazily in its
     * own scope, as Ansible's do; and what a module's plan looks variables up in. A lookup renders one
     * variable; iterating renders every one.
     */
    default Map<String, Object> asMap() {
        return new java.util.AbstractMap<>() {
            @Override
            public boolean containsKey(Object key) {
                return key instanceof String k && has(k);
            }

            @Override
            public Object get(Object key) {
                return key instanceof String k && has(k) ? Vars.this.get(k) : null;
            }

            @Override
            public Set<Map.Entry<String, Object>> entrySet() {
                Set<Map.Entry<String, Object>> out = new java.util.LinkedHashSet<>();
                for (String n : names()) out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(n, Vars.this.get(n)));
                return out;
            }

            @Override
            public int size() {
                return names().size();
            }
        };
    }

    /** Plain values, used as they are (not rendered again). */
    static Vars of(Map<String, ?> values) {
        Map<String, ?> copy = new java.util.LinkedHashMap<>(values);
        return new Vars() {
            @Override
            public boolean has(String name) {
                return copy.containsKey(name);
            }

            @Override
            public Object get(String name) {
                return copy.get(name);
            }

            @Override
            public Set<String> names() {
                return copy.keySet();
            }
        };
    }

    /** No variables at all. */
    static Vars empty() {
        return of(Map.of());
    }
}
