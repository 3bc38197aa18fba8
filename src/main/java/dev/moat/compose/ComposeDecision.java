package dev.moat.compose;

import java.util.List;

/**
 * Everything compose_ports decided for one host: the files to rewrite, the projects to recreate,
 * and what it reports but cannot fix: services in rewritten files that have no container (the
 * file is fixed, nothing is started), containers started outside Compose that publish on every
 * interface, compose containers whose files were not read, and warnings.
 */
public record ComposeDecision(List<FileRewrite> rewrites, List<Recreate> recreates, List<String> notRunning,
                              List<String> outside, List<Unfixed> unfixed, List<String> warnings) {
    public ComposeDecision {
        rewrites = List.copyOf(rewrites);
        recreates = List.copyOf(recreates);
        notRunning = List.copyOf(notRunning);
        outside = List.copyOf(outside);
        unfixed = List.copyOf(unfixed);
        warnings = List.copyOf(warnings);
    }
}
