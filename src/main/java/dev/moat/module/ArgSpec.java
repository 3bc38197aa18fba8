package dev.moat.module;

import java.util.List;

/** One declared argument of a module. */
public record ArgSpec(String name, ArgType type, boolean required, Object defaultValue, List<String> choices,
                      List<String> aliases, boolean secret) {
    public ArgSpec {
        if (choices == null) choices = List.of();
        if (aliases == null) aliases = List.of();
    }

    public static ArgSpec required(String name, ArgType type) {
        return new ArgSpec(name, type, true, null, List.of(), List.of(), false);
    }

    public static ArgSpec optional(String name, ArgType type) {
        return new ArgSpec(name, type, false, null, List.of(), List.of(), false);
    }

    public static ArgSpec optional(String name, ArgType type, Object defaultValue) {
        return new ArgSpec(name, type, false, defaultValue, List.of(), List.of(), false);
    }

    public static ArgSpec choice(String name, String defaultValue, String... choices) {
        return new ArgSpec(name, ArgType.STRING, false, defaultValue, List.of(choices), List.of(), false);
    }

    public ArgSpec withAliases(String... names) {
        return new ArgSpec(name, type, required, defaultValue, choices, List.of(names), secret);
    }

    /** Marks a value that is never printed, logged, diffed or recorded (passwords). */
    public ArgSpec asSecret() {
        return new ArgSpec(name, type, required, defaultValue, choices, aliases, true);
    }
}
