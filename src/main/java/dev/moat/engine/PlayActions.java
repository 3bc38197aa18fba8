package dev.moat.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.moat.MoatException;
import dev.moat.module.TaskException;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.playbook.Task;
import dev.moat.playbook.VarScope;

/**
 * What {@code set_fact}, {@code include_vars} and {@code meta} compute on a host, rendered in the
 * task's scope; {@link HostPlay} applies the result to the host's variables or control flow. Also
 * the message of a task naming a module moat does not have.
 */
final class PlayActions {
    /** The variables an {@code include_vars} read, and the files they came from. */
    record Included(Map<String, Object> vars, List<String> files) {}

    private final RunContext run;

    PlayActions(RunContext run) {
        this.run = run;
    }

    /**
     * "dnf is not supported by moat; this task ran because ansible_os_family == 'RedHat'": the
     * conditions of the includes that led to the task, then its own (its blocks' and role's included).
     */
    static String notSupported(Task t, List<String> includeConditions) {
        List<String> all = new ArrayList<>(includeConditions);
        all.addAll(t.when());
        String why = all.isEmpty() ? "; this task has no 'when:', so every host reaches it"
                : "; this task ran because " + String.join(" and ", all);
        return t.module() + " is not supported by moat" + why;
    }

    /** The variables {@code set_fact} sets, rendered now (Ansible stores set_fact values rendered). */
    Map<String, Object> setFact(Task t, VarScope vars) throws TaskException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : t.args().entrySet()) {
            if (e.getKey().equals("cacheable")) continue;
            out.put(e.getKey(), run.templar().render(e.getValue(), vars));
        }
        return out;
    }

    String metaAction(Task t, VarScope vars) {
        return run.templar().renderString(String.valueOf(t.args().get("_raw_params")), vars).strip();
    }

    /**
     * {@code include_vars}: a file (searched in the role's {@code vars/}, the role, the playbook's
     * {@code vars/}, the playbook's directory), or every {@code .yml}/{@code .yaml}/{@code .json} file of a
     * {@code dir} in name order; under {@code name:} when given.
     */
    Included includeVars(Task t, VarScope vars) throws TaskException {
        Map<String, Object> a = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : t.args().entrySet()) a.put(e.getKey(), run.templar().render(e.getValue(), vars));
        List<Path> files = new ArrayList<>();
        if (a.get("file") != null) {
            files.add(find(String.valueOf(a.get("file")), t, false));
        } else {
            Path dir = find(String.valueOf(a.get("dir")), t, true);
            Pattern matching = a.get("files_matching") == null ? null : Pattern.compile(String.valueOf(a.get("files_matching")));
            List<?> ignore = a.get("ignore_files") instanceof List<?> l ? l : List.of();
            int depth = a.get("depth") instanceof Number n && n.intValue() > 0 ? n.intValue() : Integer.MAX_VALUE;
            try (Stream<Path> s = Files.walk(dir, depth)) {
                s.filter(Files::isRegularFile).sorted().forEach(p -> {
                    String n = p.getFileName().toString();
                    boolean ext = n.endsWith(".yml") || n.endsWith(".yaml") || n.endsWith(".json");
                    if (ext && !ignore.contains(n) && (matching == null || matching.matcher(n).matches())) files.add(p);
                });
            } catch (IOException e) {
                throw new TaskException("include_vars: cannot list " + dir + ": " + e.getMessage());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Path p : files) {
            try {
                out.putAll(PlaybookLoader.readVarsFile(p));
            } catch (MoatException e) {
                throw new TaskException("include_vars: " + e.getMessage());
            }
            names.add(p.toString());
        }
        if (a.get("name") != null) {
            Map<String, Object> named = new LinkedHashMap<>();
            named.put(String.valueOf(a.get("name")), out);
            return new Included(named, names);
        }
        return new Included(out, names);
    }

    private Path find(String name, Task t, boolean dir) throws TaskException {
        Path p = Path.of(name);
        List<Path> tried = new ArrayList<>();
        if (p.isAbsolute()) {
            tried.add(p);
        } else {
            if (t.role() != null) {
                tried.add(t.role().path().resolve("vars").resolve(p));
                tried.add(t.role().path().resolve(p));
            }
            Path base = run.templar().baseDir();
            if (base != null) {
                tried.add(base.resolve("vars").resolve(p));
                tried.add(base.resolve(p));
            }
        }
        for (Path c : tried) if (dir ? Files.isDirectory(c) : Files.isRegularFile(c)) return c;
        List<String> shown = new ArrayList<>();
        for (Path c : tried) shown.add(c.toString());
        throw new TaskException("include_vars: no such " + (dir ? "directory" : "file") + " '" + name + "' (looked for " + String.join(", ", shown) + ")");
    }
}
