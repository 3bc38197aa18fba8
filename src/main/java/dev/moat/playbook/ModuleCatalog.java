package dev.moat.playbook;

import java.util.Optional;
import java.util.Set;

import dev.moat.module.Spec;

/**
 * The modules a playbook may use, as the loader needs them: their names and argument specs. The
 * engine's module registry implements it; tests use a small fake.
 */
public interface ModuleCatalog {
    /** The spec of the module called {@code module} (a short name such as {@code copy}), if there is one. */
    Optional<Spec> spec(String module);

    /** Every module name, for "did you mean" suggestions and "no module" messages. */
    Set<String> names();
}
