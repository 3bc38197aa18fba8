package dev.moat.repl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Sh;
import dev.moat.transport.Transport;

/**
 * Completes paths on the host: a directory is listed once over the session's connection
 * ({@code ls -1Ap}, directories marked with a trailing {@code /}) and kept until the next command
 * runs, since a command may change it. Hidden entries show only once a dot is typed.
 */
final class RemotePaths {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Transport transport;
    private final boolean become;
    private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

    RemotePaths(Transport transport, boolean become) {
        this.transport = transport;
        this.become = become;
    }

    /** The paths that complete {@code prefix} (which starts with {@code /}); directories end with {@code /}. */
    List<String> complete(String prefix) {
        int slash = prefix.lastIndexOf('/');
        if (slash < 0) return List.of();
        String dir = prefix.substring(0, slash + 1);
        String base = prefix.substring(slash + 1);
        List<String> out = new ArrayList<>();
        for (String name : entries(dir)) {
            if (!name.startsWith(base)) continue;
            if (name.startsWith(".") && !base.startsWith(".")) continue;
            out.add(dir + name);
        }
        return out;
    }

    /** Forgets every listing: called after each command. */
    void clear() {
        cache.clear();
    }

    /** The number of directories listed so far and kept: for tests. */
    int cached() {
        return cache.size();
    }

    private List<String> entries(String dir) {
        List<String> hit = cache.get(dir);
        if (hit != null) return hit;
        try {
            ExecResult r = transport.exec(new Command("ls -1Ap -- " + Sh.q(dir) + " 2>/dev/null", null, become, TIMEOUT, false));
            if (!r.ok() && r.stdout().length == 0) return List.of();
            List<String> names = new ArrayList<>();
            for (String l : new String(r.stdout(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isEmpty() && !l.equals("./") && !l.equals("../")) names.add(l);
            }
            cache.put(dir, names);
            return names;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
