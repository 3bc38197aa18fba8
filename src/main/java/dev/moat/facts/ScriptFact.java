package dev.moat.facts;

import java.util.function.Function;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;

/** A fact whose snippet is a fixed script and whose value a pure parser makes of its output text. */
record ScriptFact<T>(String key, String script, Function<String, T> parser) implements Fact<T> {
    @Override
    public T parse(FactOutput out) {
        return parser.apply(out.text());
    }
}
