package dev.moat.template;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where Ansible looks for a relative file name on the controller, and its {@code first_found}:
 * used by the {@code file}, {@code template}, {@code fileglob} and {@code first_found} lookups, and
 * meant for {@code with_first_found} and {@code include_vars}.
 *
 * <pre>
 * List&lt;Path&gt; dirs = FileSearch.searchPath(playbookDir, rolePath, "files");
 * // [role/files, role/tasks/files, role, role/tasks, playbook/files, playbook]
 * FileSearch.firstFound(List.of("Debian.yml", "default.yml"), FileSearch.searchPath(playbookDir, rolePath, "vars"));
 * </pre>
 */
public final class FileSearch {
    /**
     * A local variable a {@code with_<lookup>} loop sets for its lookup: the subdirectory it searches
     * ({@code files}, {@code templates}, {@code vars}), chosen from the task's module as Ansible does.
     */
    public static final String LOOP_SUBDIR = "__moat_lookup_subdir";

    private FileSearch() {}

    /**
     * Ansible's search path for {@code subdir} ({@code files}, {@code templates}, {@code vars}): in the
     * role first (its {@code subdir}, {@code tasks/subdir}, the role, {@code tasks}), then beside the
     * playbook ({@code subdir}, then the playbook's directory). {@code roleDir} may be null.
     */
    public static List<Path> searchPath(Path baseDir, Path roleDir, String subdir) {
        List<Path> out = new ArrayList<>();
        if (roleDir != null) {
            out.add(roleDir.resolve(subdir));
            out.add(roleDir.resolve("tasks").resolve(subdir));
            out.add(roleDir);
            out.add(roleDir.resolve("tasks"));
        }
        Path base = baseDir == null ? Path.of("").toAbsolutePath() : baseDir;
        out.add(base.resolve(subdir));
        out.add(base);
        return out;
    }

    /** The first existing {@code name} in {@code searchPath} (or {@code name} itself when absolute). */
    public static Optional<Path> find(String name, List<Path> searchPath) {
        Path p = Path.of(name);
        if (p.isAbsolute()) return Files.exists(p) ? Optional.of(p) : Optional.empty();
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(p).normalize();
            if (Files.exists(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /**
     * Ansible's {@code first_found}: {@code terms} are file names, lists of them, or mappings with
     * {@code files} (and {@code paths}, which are joined to each file; {@code skip}); names in a
     * string may be separated by {@code ,} or {@code ;}. The first that exists, else empty.
     */
    public static Optional<Path> firstFound(List<?> terms, List<Path> searchPath) {
        for (String candidate : candidates(terms)) {
            Optional<Path> p = find(candidate, searchPath);
            if (p.isPresent()) return p;
        }
        return Optional.empty();
    }

    /** Whether a mapping among {@code terms} says {@code skip: true} (then nothing found is not an error). */
    public static boolean skips(List<?> terms) {
        boolean skip = false;
        for (Object t : terms) {
            if (t instanceof Map<?, ?> m && m.containsKey("skip")) skip = Templar.truth(m.get("skip"));
            else if (t instanceof List<?> l) skip = skips(l);
        }
        return skip;
    }

    private static List<String> candidates(List<?> terms) {
        List<String> out = new ArrayList<>();
        for (Object t : terms) {
            if (t instanceof Map<?, ?> m) {
                List<String> files = split(m.get("files"), ",;");
                List<String> paths = split(m.get("paths"), ",:;");
                if (paths.isEmpty()) out.addAll(files);
                else for (String dir : paths) for (String f : files) out.add(Path.of(dir).resolve(f).toString());
            } else if (t instanceof List<?> l) {
                out.addAll(candidates(l));
            } else if (t != null) {
                out.add(String.valueOf(t));
            }
        }
        return out;
    }

    private static List<String> split(Object v, String separators) {
        List<String> out = new ArrayList<>();
        if (v == null) return out;
        if (v instanceof List<?> l) {
            for (Object o : l) out.addAll(split(o, separators));
            return out;
        }
        for (String s : String.valueOf(v).split("[" + separators + "]")) if (!s.isBlank()) out.add(s.strip());
        return out;
    }
}
