package dev.moat.modules.docker;

import java.util.List;

/**
 * What a {@code docker_compose_v2} task asks for: the project directory, its files (empty: Compose's
 * default names), the project name (always passed as {@code -p}, so the read and the change agree;
 * null given means the directory's name normalized as Compose normalizes it), the state, the
 * services in scope (empty: all), and how to pull, recreate, remove orphans and volumes.
 */
public record ComposeWant(String src, List<String> files, String project, String state, List<String> services, String pull,
                          String recreate, boolean removeOrphans, boolean removeVolumes, Integer timeout) {
    public ComposeWant {
        files = List.copyOf(files);
        services = List.copyOf(services);
    }

    /** Compose's default project name for a directory: its last component, lower case, without characters other than a-z, 0-9, - and _. */
    public static String defaultProject(String src) {
        String s = src.replaceAll("/+$", "");
        String base = s.substring(s.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
        return base.replaceAll("[^a-z0-9_-]", "");
    }
}
