package dev.moat.facts;

import dev.moat.module.Fact;
import dev.moat.module.FactKeys;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Whether a path exists (following symlinks, as {@code test -e} does), key {@code exists:PATH}. Cheaper
 * than {@link FileFact} when only existence matters ({@code creates}, {@code removes}): it never
 * reads content. A touch of {@code file:PATH} must invalidate it too (see {@link FactKeys}).
 */
public record ExistsFact(String path) implements Fact<Boolean> {
    public ExistsFact {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("path required");
    }

    @Override
    public String key() {
        return "exists:" + path;
    }

    @Override
    public String script() {
        return "if [ -e " + Sh.q(path) + " ]; then echo yes; else echo no; fi";
    }

    @Override
    public Boolean parse(FactOutput out) throws TaskException {
        String t = out.text().strip();
        if (t.equals("yes")) return true;
        if (t.equals("no")) return false;
        throw new TaskException("cannot test whether " + path + " exists: " + out.errText().strip());
    }
}
