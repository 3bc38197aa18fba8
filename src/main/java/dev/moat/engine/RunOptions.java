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

    /**
     * Ansible's tag selection ({@code Taggable.evaluate_tags}): a task without tags counts as
     * tagged {@code untagged}; {@code --tags} (default {@code all}) selects a task when it is
     * tagged {@code always}, or {@code all} is asked and it is not tagged {@code never}, or it
     * shares a tag with the ones asked, or {@code tagged} is asked and it has tags (not
     * {@code never}). {@code --skip-tags} then drops a task that shares a tag with them, every
     * tagged task for {@code tagged}, and everything for {@code all} except tasks tagged
     * {@code always} (unless {@code always} is skipped too).
     */
    public boolean selects(Set<String> taskTags) {
        Set<String> own = taskTags.isEmpty() ? UNTAGGED : taskTags;
        boolean tagged = !taskTags.isEmpty();
        Set<String> only = tags.isEmpty() ? Set.of("all") : tags;
        boolean run = own.contains("always")
                || (only.contains("all") && !own.contains("never"))
                || !java.util.Collections.disjoint(own, only)
                || (only.contains("tagged") && tagged && !own.contains("never"));
        if (!run || skipTags.isEmpty()) return run;
        if (skipTags.contains("all")) return own.contains("always") && !skipTags.contains("always");
        if (!java.util.Collections.disjoint(own, skipTags)) return false;
        return !(skipTags.contains("tagged") && tagged);
    }

    private static final Set<String> UNTAGGED = Set.of("untagged");
}
