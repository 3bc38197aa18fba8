package dev.moat.module;

import java.util.List;
import java.util.Optional;

/**
 * A module's declared arguments. {@code freeForm} names the argument that a bare string takes
 * ({@code command: ls -l} fills {@code cmd}); {@code exclusive} lists groups of which at most one
 * may be set, {@code oneOf} groups of which exactly one must be.
 */
public record Spec(List<ArgSpec> args, String freeForm, List<List<String>> exclusive, List<List<String>> oneOf) {
    public Spec {
        args = List.copyOf(args);
        exclusive = exclusive == null ? List.of() : List.copyOf(exclusive);
        oneOf = oneOf == null ? List.of() : List.copyOf(oneOf);
    }

    public static Spec of(ArgSpec... args) {
        return new Spec(List.of(args), null, List.of(), List.of());
    }

    public Spec freeForm(String arg) {
        return new Spec(args, arg, exclusive, oneOf);
    }

    public Spec exclusive(String... names) {
        var l = new java.util.ArrayList<>(exclusive);
        l.add(List.of(names));
        return new Spec(args, freeForm, l, oneOf);
    }

    public Spec oneOf(String... names) {
        var l = new java.util.ArrayList<>(oneOf);
        l.add(List.of(names));
        return new Spec(args, freeForm, exclusive, l);
    }

    /** The argument called {@code name} or aliased so. */
    public Optional<ArgSpec> find(String name) {
        for (ArgSpec a : args) {
            if (a.name().equals(name) || a.aliases().contains(name)) return Optional.of(a);
        }
        return Optional.empty();
    }
}
