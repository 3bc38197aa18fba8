package dev.moat.playbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.moat.template.Templar;
import dev.moat.yaml.ListNode;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;
import dev.moat.yaml.YamlLoader;

/**
 * {@code import_tasks} (static: the file's tasks are inlined as a block when the playbook loads,
 * the import's {@code when}, {@code tags} and {@code vars} passed to each) and
 * {@code include_tasks} (dynamic: an {@link Include} decided when a host reaches it). A relative
 * file name is looked up as Ansible does: beside the file that names it, in the role's
 * {@code tasks/}, then beside the playbook.
 */
final class Includes {
    private Includes() {}

    static Block importTasks(TaskParser p, MapNode m, String key, TaskParser.Inherited in, boolean handler) {
        checkKeys(m, key, Keywords.IMPORT, "import_tasks");
        Node v = m.get(key);
        String file = fileArg(m, key, v);
        if (Templar.isTemplate(file)) {
            throw new YamlException(Nodes.at(m, key), key + ": '" + file + "' is a template, known only when a host runs; use include_tasks");
        }
        Path path = resolve(p, file, in, Nodes.at(m, key));
        TaskParser.Inherited inner = in.with(Nodes.conditions(m, "when"), Nodes.strings(m, "tags", true), Nodes.bool(m, "become"),
                Nodes.string(m, "become_user"), Nodes.bool(m, "no_log"), Nodes.bool(m, "ignore_errors"), Nodes.vars(m, "vars"));
        List<TaskItem> body = p.items(entries(path), inner.in(in.role(), path.getParent()), handler);
        return new Block(Nodes.string(m, "name"), body, List.of(), List.of(), Nodes.conditions(m, "when"),
                Nodes.strings(m, "tags", true), Nodes.bool(m, "become"), Nodes.string(m, "become_user"),
                Boolean.TRUE.equals(Nodes.bool(m, "no_log")), Boolean.TRUE.equals(Nodes.bool(m, "ignore_errors")),
                Nodes.vars(m, "vars"), null, m.mark(), in.role());
    }

    static Include includeTasks(TaskParser p, MapNode m, String key, TaskParser.Inherited in, boolean handler) {
        if (handler) throw new YamlException(m.keyMark(key), key + ": includes among handlers are not supported by moat");
        checkKeys(m, key, Keywords.INCLUDE, "include_tasks");
        Node v = m.get(key);
        String file = fileArg(m, key, v);
        MapNode apply = v instanceof MapNode mn ? Nodes.map(mn, "apply") : Nodes.map(m, "apply");
        TaskParser.Inherited inner = applied(in, apply, Nodes.vars(m, "vars"));
        Mark at = Nodes.at(m, key);
        List<TaskItem> body = null;
        Include.Later later = null;
        if (Templar.isTemplate(file)) {
            later = rendered -> {
                Path path = resolve(p, rendered, in, at);
                return p.dynamicItems(entries(path), inner.in(in.role(), path.getParent()));
            };
        } else {
            Path path = resolve(p, file, in, at);
            body = p.dynamicItems(entries(path), inner.in(in.role(), path.getParent()));
        }
        return include(m, file, in, body, later);
    }

    /** The include's own keywords: its loop, its conditions (the enclosing blocks' first), its tags. */
    static Include include(MapNode m, String file, TaskParser.Inherited in, List<TaskItem> body, Include.Later later) {
        Object loop = TaskParser.loop(m);
        String lookup = TaskParser.withLookup(m, loop != null);
        if (lookup != null) loop = m.get("with_" + lookup) == null ? List.of() : m.get("with_" + lookup).toPlain();
        LoopControl lc = TaskParser.loopControl(m, loop != null);
        Boolean ignore = Nodes.bool(m, "ignore_errors");
        return new Include(Nodes.string(m, "name"), file, loop, lookup, lc,
                TaskParser.concat(in.when(), Nodes.conditions(m, "when")), TaskParser.union(in.tags(), Nodes.strings(m, "tags", true)),
                TaskParser.overlay(in.vars(), Nodes.vars(m, "vars")),
                ignore != null ? ignore : Boolean.TRUE.equals(in.ignoreErrors()), body, later, m.mark(), in.role());
    }

    /**
     * What the included tasks inherit: the enclosing blocks' keywords (not the include's own
     * {@code when} and {@code tags}, which decide the include itself), the include's {@code vars},
     * and what {@code apply:} gives them.
     */
    static TaskParser.Inherited applied(TaskParser.Inherited in, MapNode apply, Map<String, Object> vars) {
        TaskParser.Inherited base = new TaskParser.Inherited(List.of(), in.tags(), in.become(), in.becomeUser(), in.noLog(),
                in.ignoreErrors(), in.vars(), in.role(), in.dir(), in.env(), in.keys());
        if (apply == null) return base.with(List.of(), List.of(), null, null, null, null, vars);
        for (String k : apply.entries().keySet()) {
            if (!Keywords.IMPORT.contains(k) || k.equals("name") || k.equals("args")) {
                throw new YamlException(apply.keyMark(k), "apply: '" + k + "' is not supported by moat here (apply takes: when, tags, become, become_user, no_log, ignore_errors, vars)");
            }
        }
        return base.with(Nodes.conditions(apply, "when"), Nodes.strings(apply, "tags", true), Nodes.bool(apply, "become"),
                Nodes.string(apply, "become_user"), Nodes.bool(apply, "no_log"), Nodes.bool(apply, "ignore_errors"),
                TaskParser.overlay(vars, Nodes.vars(apply, "vars")));
    }

    private static String fileArg(MapNode m, String key, Node v) {
        if (v instanceof ScalarNode s && s.value() != null) {
            Nodes.checkTemplate(s, key);
            return s.text().strip();
        }
        if (v instanceof MapNode mn) {
            for (String k : mn.entries().keySet()) {
                if (!Set.of("file", "apply", "_raw_params").contains(k)) {
                    throw new YamlException(mn.keyMark(k), key + ": unknown argument '" + k + "' (it takes: file, apply)");
                }
            }
            String f = Nodes.string(mn, "file") != null ? Nodes.string(mn, "file") : Nodes.string(mn, "_raw_params");
            if (f != null) return f.strip();
        }
        throw new YamlException(Nodes.at(m, key), key + ": expected a file name, not " + Nodes.kind(v));
    }

    /** Beside the naming file, in the role's tasks/, beside the playbook; absolute as it is. */
    static Path resolve(TaskParser p, String file, TaskParser.Inherited in, Mark at) {
        Path f = Path.of(file);
        List<Path> tried = new ArrayList<>();
        if (f.isAbsolute()) {
            tried.add(f);
        } else {
            if (in.dir() != null) tried.add(in.dir().resolve(f));
            if (in.role() != null) tried.add(in.role().path().resolve("tasks").resolve(f));
            tried.add(p.playbookDir.resolve(f));
        }
        for (Path t : tried) if (Files.isRegularFile(t)) return t.normalize();
        List<String> shown = new ArrayList<>();
        for (Path t : tried) shown.add(t.toString());
        throw new YamlException(at, "no such tasks file '" + file + "' (looked for " + String.join(", ", new java.util.LinkedHashSet<>(shown)) + ")");
    }

    /** A tasks file's entries; an empty file has none. */
    static List<Node> entries(Path file) {
        Node root = YamlLoader.load(file);
        if (root == null) return List.of();
        if (!(root instanceof ListNode l)) throw new YamlException(root.mark(), "a tasks file is a list of tasks, not " + Nodes.kind(root));
        return l.items();
    }

    static void checkKeys(MapNode m, String key, Set<String> allowed, String what) {
        for (String k : m.entries().keySet()) {
            if (k.equals(key) || allowed.contains(k) || (allowed.contains("loop") && Keywords.WITH_LOOKUP.matcher(k).matches())) continue;
            throw new YamlException(m.keyMark(k), "'" + k + "' is not allowed on " + what + Suggest.hint(k, allowed)
                    + " (it takes: " + String.join(", ", new TreeSet<>(allowed)) + ")");
        }
    }
}
