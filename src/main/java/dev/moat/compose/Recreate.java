package dev.moat.compose;

import java.util.List;

/**
 * Services of one Compose project to recreate so their new bindings take effect: run from
 * {@code dir} as {@code COMMAND -f FILE... -p PROJECT up ...}. {@code running} ones are recreated and
 * started, {@code stopped} ones (created or exited) recreated without starting, so a later
 * {@code docker start} cannot bring the old binding back. {@code fileChanged} is false when the file
 * was already right and only the containers lag behind it.
 */
public record Recreate(String project, String dir, List<String> files, List<String> running, List<String> stopped,
                       boolean fileChanged) {
    public Recreate {
        files = List.copyOf(files);
        running = List.copyOf(running);
        stopped = List.copyOf(stopped);
    }

    public List<String> services() {
        List<String> all = new java.util.ArrayList<>(running);
        for (String s : stopped) if (!all.contains(s)) all.add(s);
        return all;
    }
}
