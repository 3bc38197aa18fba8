package dev.moat.playbook;

import java.nio.file.Path;
import java.util.List;

import dev.moat.yaml.LoadWarning;

/**
 * A loaded and validated playbook: its file, its plays in order (imported playbooks' plays in
 * their place), and what loading it warned about (printed once before a run and by
 * {@code --syntax-check}): decimal modes, the tasks naming a module Ansible has and moat does not.
 * See {@link PlaybookLoader}.
 */
public record Playbook(Path file, List<Play> plays, List<LoadWarning> warnings) {
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
