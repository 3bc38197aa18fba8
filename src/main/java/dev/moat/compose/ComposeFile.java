package dev.moat.compose;

import java.util.Map;

/** A compose file read from the host: the path found, its real path (symlinks resolved), its text and the variables of the {@code .env} beside it. */
public record ComposeFile(String path, String realPath, String text, Map<String, String> env) {
    public ComposeFile {
        env = Map.copyOf(env);
        if (realPath == null || realPath.isEmpty()) realPath = path;
    }

    public String dir() {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    public String realDir() {
        int slash = realPath.lastIndexOf('/');
        return slash <= 0 ? "/" : realPath.substring(0, slash);
    }

    /** The file's base name, e.g. {@code docker-compose.yml}. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
