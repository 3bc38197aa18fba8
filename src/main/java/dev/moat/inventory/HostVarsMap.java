package dev.moat.inventory;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Ansible's magic {@code hostvars}: host name → that host's template variables, each computed on
 * first use (every host's map holds this map again, so eager building would never end).
 */
final class HostVarsMap extends AbstractMap<String, Object> {
    private final Inventory inventory;
    private final Map<String, Object> cache = new HashMap<>();

    HostVarsMap(Inventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name) || inventory.host(name).isEmpty()) return null;
        synchronized (cache) {
            return cache.computeIfAbsent(name, inventory::templateVars);
        }
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && inventory.host(name).isPresent();
    }

    @Override
    public int size() {
        return inventory.hosts().size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                Iterator<Host> it = inventory.hosts().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        String n = it.next().name();
                        return new SimpleImmutableEntry<>(n, get(n));
                    }
                };
            }

            @Override
            public int size() {
                return inventory.hosts().size();
            }
        };
    }

    /** Never renders the (self-referencing) values. */
    @Override
    public String toString() {
        return "hostvars" + inventory.hosts().stream().map(Host::name).toList();
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
