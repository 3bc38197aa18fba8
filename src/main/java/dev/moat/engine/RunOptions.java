package dev.moat.engine;

import java.util.Map;
import java.util.Set;

/**
 * How a run behaves: {@code check} changes nothing; {@code diff} asks printers for diffs;
 * {@code forks} bounds the hosts worked on at once; tags select tasks as Ansible's do;
 * {@code noRollback} leaves a failed host as it is (--no-rollback).
 */
public record RunOptions(boolean check, boolean diff, int forks, Set<String> tags, Set<String> skipTags,
                         Map<String, Object> extraVars, boolean noRollback) {
    public RunOptions {
        if (forks <= 0) forks = 100;
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        skipTags = skipTags == null ? Set.of() : Set.copyOf(skipTags);
        extraVars = extraVars == null ? Map.of() : Map.copyOf(extraVars);
    }

    /** Ansible's tag selection: {@code always} runs unless skipped by name, {@code never} only when asked. */
    public boolean selects(Set<String> taskTags) {
        if (!skipTags.isEmpty()) {
            for (String t : taskTags) if (skipTags.contains(t)) return false;
            if (skipTags.contains("all")) return false;
        }
        if (taskTags.contains("always")) return true;
        if (tags.isEmpty() || tags.contains("all")) return !taskTags.contains("never");
        if (tags.contains("tagged") && !taskTags.isEmpty()) return true;
        if (tags.contains("untagged") && taskTags.isEmpty()) return true;
        for (String t : taskTags) if (tags.contains(t)) return true;
        return false;
    }
}
