package dev.moat.compose;

import java.util.List;

/**
 * What compose_ports decides for one file: its text before and after, the entries changed, the
 * services whose published ports changed (to recreate), every service the file defines, and
 * warnings (entries it could not read, unset variables). {@code after.equals(before)} when nothing
 * is to change.
 */
public record FileRewrite(String path, String before, String after, List<PortChange> changes, List<String> services,
                          List<String> defined, List<String> warnings) {
    public FileRewrite {
        changes = List.copyOf(changes);
        services = List.copyOf(new java.util.LinkedHashSet<>(services));
        defined = List.copyOf(defined);
        warnings = List.copyOf(warnings);
    }

    public boolean changed() {
        return !before.equals(after);
    }
}
