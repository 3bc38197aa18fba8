package dev.moat.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.moat.yaml.MapNode;
import dev.moat.yaml.Node;
import dev.moat.yaml.YamlException;
import dev.moat.yaml.YamlLoader;

/**
 * The {@code group_vars/} and {@code host_vars/} directories beside an inventory file, read as
 * Ansible's {@code host_group_vars} plugin reads them: for NAME the first of {@code NAME},
 * {@code NAME.yml}, {@code NAME.yaml}, {@code NAME.json} that exists; a directory is read
 * recursively, its files (no extension or one of those three; hidden files and {@code ~} backups
 * skipped) merged in lexical order, later files winning. Empty files count as empty.
 */
final class VarsFiles {
    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");
    private final Path base;

    /** @param base the directory holding the inventory file */
    VarsFiles(Path base) {
        this.base = base;
    }

    Map<String, Object> group(String name) {
        return load("group_vars", name);
    }

    Map<String, Object> host(String name) {
        return load("host_vars", name);
    }

    private Map<String, Object> load(String subdir, String name) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (base == null || name.startsWith("/")) return out;
        Path dir = base.resolve(subdir);
        if (!Files.isDirectory(dir)) return out;
        for (Path f : find(dir, name)) {
            Node n = YamlLoader.load(f);
            if (n == null) continue;
            if (!(n instanceof MapNode m)) {
                throw new YamlException(n.mark(), subdir + " file must be a mapping of variable names to values");
            }
            out.putAll(plain(m));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> plain(MapNode m) {
        return (Map<String, Object>) m.toPlain();
    }

    private static List<Path> find(Path dir, String name) {
        for (String ext : EXTENSIONS) {
            Path p;
            try {
                p = dir.resolve(name + ext);
            } catch (java.nio.file.InvalidPathException e) {
                return List.of();
            }
            if (!p.normalize().startsWith(dir.normalize()) || !Files.exists(p)) continue;
            if (Files.isDirectory(p)) return dirFiles(p);
            return List.of(p);
        }
        return List.of();
    }

    private static List<Path> dirFiles(Path dir) {
        List<Path> found = new ArrayList<>();
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new YamlException(new dev.moat.yaml.Mark(dir, 0, 0), "cannot list directory: " + e.getMessage());
        }
        for (Path p : entries) {
            String fn = p.getFileName().toString();
            if (fn.startsWith(".") || fn.endsWith("~")) continue;
            String ext = extension(fn);
            if (Files.isDirectory(p) && ext.isEmpty()) found.addAll(dirFiles(p));
            else if (Files.isRegularFile(p) && EXTENSIONS.contains(ext)) found.add(p);
        }
        return found;
    }

    /** Python's os.path.splitext(name)[1]: leading dots do not start an extension. */
    private static String extension(String fn) {
        int dot = fn.lastIndexOf('.');
        if (dot <= 0) return "";
        for (int i = 0; i < dot; i++) {
            if (fn.charAt(i) != '.') return fn.substring(dot);
        }
        return "";
    }
}
