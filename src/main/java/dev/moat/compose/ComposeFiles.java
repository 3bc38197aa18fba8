package dev.moat.compose;

import java.util.List;

/** What file discovery found: the files (each once, by real path), the given paths that do not exist, and files that could not be read. */
public record ComposeFiles(List<ComposeFile> files, List<String> missing, List<String> errors) {
    public ComposeFiles {
        files = List.copyOf(files);
        missing = List.copyOf(missing);
        errors = List.copyOf(errors);
    }
}
