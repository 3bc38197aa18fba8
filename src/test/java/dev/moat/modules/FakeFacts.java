package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.Facts;
import dev.moat.module.TaskException;

/** Facts from fixtures: exactly the bytes a host would print for each fact key. */
public final class FakeFacts implements Facts {
    private final Map<String, FactOutput> outputs = new HashMap<>();

    public FakeFacts put(String key, FactOutput out) {
        outputs.put(key, out);
        return this;
    }

    public FakeFacts put(String key, String stdout) {
        return put(key, new FactOutput(0, stdout.getBytes(StandardCharsets.UTF_8), new byte[0]));
    }

    @Override
    public <T> T get(Fact<T> fact) throws TaskException {
        FactOutput out = outputs.get(fact.key());
        if (out == null) throw new AssertionError("fact " + fact.key() + " was not declared/provided");
        return fact.parse(out);
    }
}
