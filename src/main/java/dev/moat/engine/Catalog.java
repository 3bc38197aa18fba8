package dev.moat.engine;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.moat.module.Module;
import dev.moat.module.Spec;
import dev.moat.playbook.ModuleCatalog;

/** The playbook loader's view of a module registry: names and argument specs. */
public final class Catalog {
    private Catalog() {}

    public static ModuleCatalog of(Map<String, Module<?>> modules) {
        return new ModuleCatalog() {
            @Override
            public Optional<Spec> spec(String module) {
                Module<?> m = modules.get(module);
                return m == null ? Optional.empty() : Optional.of(m.spec());
            }

            @Override
            public Set<String> names() {
                return modules.keySet();
            }
        };
    }
}
