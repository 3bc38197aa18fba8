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
