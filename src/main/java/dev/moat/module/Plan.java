package dev.moat.module;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.journal.Undo;

/**
 * A module's decision for one task on one host. Empty {@code steps} means the host is converged
 * (unless {@code skip} says the task does not apply). {@code touches} names the fact keys the
 * steps change, so later tasks reading them read again; {@code "*"} means anything.
 * {@code risks} say what the change may cost the controller's way in (the engine guards it);
 * {@code result} adds module-specific values to a registered variable; {@code message} is what
 * {@code debug} prints.
 */
public record Plan(List<Step> steps, List<Diff> diffs, List<Undo> undo, Set<String> touches, Set<Risk> risks,
                   Map<String, Object> result, String message, String skip) {
    public Plan {
        steps = List.copyOf(steps);
        diffs = List.copyOf(diffs);
        undo = List.copyOf(undo);
        touches = Set.copyOf(touches);
        risks = risks == null || risks.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(risks));
        // Results are data as a module returns them: in its order, and with nulls (Ansible's None) kept.
        result = result == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(result));
    }

    public static Plan converged() {
        return new Plan(List.of(), List.of(), List.of(), Set.of(), Set.of(), Map.of(), null, null);
    }

    public static Plan skipped(String reason) {
        return new Plan(List.of(), List.of(), List.of(), Set.of(), Set.of(), Map.of(), null, reason);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean changes() {
        return !steps.isEmpty();
    }

    public Plan withResult(Map<String, Object> values) {
        return new Plan(steps, diffs, undo, touches, risks, values, message, skip);
    }

    /** This plan with the contents of its file diffs hidden: a task that wrote a secret into them. */
    public Plan withFileContentsHidden() {
        List<Diff> hidden = new java.util.ArrayList<>();
        for (Diff d : diffs) hidden.add(d.isFile() ? new Diff(d.beforeHeader(), d.afterHeader(), null, null, true) : d);
        return new Plan(steps, hidden, undo, touches, risks, result, message, skip);
    }

    public Plan withMessage(String text) {
        return new Plan(steps, diffs, undo, touches, risks, result, text, skip);
    }

    /** Collects a plan's parts in the order a module decides them. */
    public static final class Builder {
        private final List<Step> steps = new java.util.ArrayList<>();
        private final List<Diff> diffs = new java.util.ArrayList<>();
        private final List<Undo> undo = new java.util.ArrayList<>();
        private final Set<String> touches = new java.util.LinkedHashSet<>();
        private final Set<Risk> risks = java.util.EnumSet.noneOf(Risk.class);
        private final Map<String, Object> result = new java.util.LinkedHashMap<>();

        public Builder step(Step s) { steps.add(s); return this; }
        public Builder diff(Diff d) { diffs.add(d); return this; }
        public Builder undo(Undo u) { undo.add(u); return this; }
        public Builder touches(String key) { touches.add(key); return this; }
        public Builder result(String k, Object v) { result.put(k, v); return this; }
        public boolean hasSteps() { return !steps.isEmpty(); }

        /** Declares a risk of the change; {@link Risk#SSH} also makes where sshd listens stale. */
        public Builder risk(Risk r) {
            risks.add(r);
            if (r == Risk.SSH) touches.add(Risk.SSHD_PORTS);
            return this;
        }

        /** Declares that the steps write {@code path}: adds the risks writing it carries ({@link Risk#ofPath}). */
        public Builder writes(String path) {
            for (Risk r : Risk.ofPath(path)) risk(r);
            return this;
        }

        public Plan build() {
            return new Plan(steps, diffs, undo, touches, risks, result, null, null);
        }
    }
}
