package dev.moat.module;

/**
 * What a change does, as data (Ansible's before/after with headers); the CLI renders it as a
 * unified diff for file contents or as a before/after for other state. Secrets never reach a Diff.
 */
public record Diff(String beforeHeader, String afterHeader, String before, String after) {
    public static Diff of(String what, String before, String after) {
        return new Diff(what + " (before)", what + " (after)", before, after);
    }

    public static Diff file(String path, String before, String after) {
        return new Diff(path, path, before, after);
    }
}
