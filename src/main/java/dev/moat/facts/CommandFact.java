package dev.moat.facts;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;

/**
 * An ad-hoc read: any shell snippet, its output taken as text together with its exit status (a
 * non-zero exit is data here, not a failure). The caller chooses a key that names the resource it
 * reads, e.g. {@code cmd:ufw-status}, so that tasks changing that resource can invalidate it.
 */
public record CommandFact(String key, String script) implements Fact<CommandOutput> {
    public CommandFact {
        if (key == null || key.isEmpty() || script == null) throw new IllegalArgumentException("key and script required");
    }

    @Override
    public CommandOutput parse(FactOutput out) {
        return new CommandOutput(out.rc(), out.text(), out.errText());
    }
}
