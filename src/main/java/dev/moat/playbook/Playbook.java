package dev.moat.playbook;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded and validated playbook: its file and its plays, in order (imported playbooks' plays in
 * their place). See {@link PlaybookLoader}.
 *
 * @param warnings what loads but may fail on a host, each starting with {@code file:line:column: }:
 *                 the tasks naming a module Ansible has and moat does not
 */
public record Playbook(Path file, List<Play> plays, List<String> warnings) {
    public Playbook {
        plays = List.copyOf(plays);
        warnings = List.copyOf(warnings);
    }

    public Playbook(Path file, List<Play> plays) {
        this(file, plays, List.of());
    }

    /** The directory relative paths ({@code lookup('file')}, {@code src:}, templates) resolve against. */
    public Path dir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }
}
