package dev.moat.playbook;

import java.nio.file.Path;
import java.util.List;

/** A loaded and validated playbook: its file and its plays, in order. See {@link PlaybookLoader}. */
public record Playbook(Path file, List<Play> plays) {
    public Playbook {
        plays = List.copyOf(plays);
    }

    /** The directory relative paths ({@code lookup('file')}, {@code src:}, templates) resolve against. */
    public Path dir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }
}
