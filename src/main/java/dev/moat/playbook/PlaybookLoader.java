package dev.moat.playbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * Loads a playbook and validates all of it before any host is touched: the shape of every play,
 * block and task; module names (with a suggestion for the closest one); argument names, required
 * arguments, exclusions and the types of literal values against each module's spec; {@code when}
 * and {@code loop} shapes; {@code notify} targets; {@code vars_files}; and the Jinja syntax of every
 * template. The first error is thrown as a {@link YamlException} (exit 65) whose message starts
 * with {@code file:line:column: }.
 */
public final class PlaybookLoader {
    private PlaybookLoader() {}

    public static Playbook load(Path file, ModuleCatalog catalog) {
        Node root = YamlLoader.load(file);
        if (root == null) throw new YamlException(new Mark(file, 1, 1), "the playbook is empty; expected a list of plays");
        if (!(root instanceof ListNode plays)) {
            throw new YamlException(root.mark(), "a playbook is a list of plays (each starting with '- hosts: ...'), not " + Nodes.kind(root));
        }
        Path dir = file.toAbsolutePath().getParent();
        List<Play> out = new ArrayList<>();
        for (Node n : plays.items()) {
            if (!(n instanceof MapNode m)) throw new YamlException(n == null ? root.mark() : n.mark(), "a play is a mapping, not " + Nodes.kind(n));
            out.add(play(m, dir, catalog));
        }
        return new Playbook(file, out);
    }

    private static Play play(MapNode m, Path dir, ModuleCatalog catalog) {
        for (String k : m.entries().keySet()) {
            if (Keywords.PLAY.contains(k)) continue;
            if (k.equals("import_playbook") || Keywords.UNSUPPORTED_PLAY.contains(k)) {
                throw new YamlException(m.keyMark(k), "'" + k + "' is not supported by moat");
            }
            String hint = Keywords.TASK.contains(k) || catalog.spec(k).isPresent()
                    ? " ('" + k + "' belongs to a task: put it under 'tasks:')" : Suggest.hint(k, Keywords.PLAY);
            throw new YamlException(m.keyMark(k), "unknown play keyword '" + k + "'" + hint);
        }
        String name = Nodes.string(m, "name");
        String hosts = hosts(m);
        Map<String, Object> vars = Nodes.vars(m, "vars");
        List<String> varsFiles = Nodes.strings(m, "vars_files", false);
        Map<String, Object> filesVars = varsFiles(m, dir, varsFiles);
        Boolean become = Nodes.bool(m, "become");
        String becomeUser = Nodes.string(m, "become_user");
        List<Serial> serial = serial(m);
        Integer maxFail = maxFail(m);
        Rollback rollback = Rollback.HOST;
        if (m.has("rollback")) {
            rollback = Rollback.parse(Nodes.string(m, "rollback"));
            if (rollback == null) throw new YamlException(Nodes.at(m, "rollback"), "rollback: expected host, block or none");
        }
        List<String> tags = Nodes.strings(m, "tags", true);
        Boolean gather = Nodes.bool(m, "gather_facts");

        TaskParser parser = new TaskParser(catalog);
        TaskParser.Inherited top = new TaskParser.Inherited(List.of(), tags, become, becomeUser, null, null, Map.of());
        List<TaskItem> tasks = parser.items(Nodes.list(m, "tasks"), top, false);
        List<Task> handlers = new ArrayList<>();
        for (TaskItem i : parser.items(Nodes.list(m, "handlers"), top, true)) handlers.add((Task) i);
        checkNotifies(parser.notifies, handlers);
        return new Play(name, hosts, vars, varsFiles, filesVars, become, becomeUser, tasks, handlers, serial, maxFail,
                rollback, tags, m.mark(), gather == null || gather);
    }

    private static String hosts(MapNode m) {
        if (!m.has("hosts") || m.get("hosts") == null) {
            throw new YamlException(m.has("hosts") ? m.keyMark("hosts") : m.mark(), "a play needs 'hosts:' (a group, host or pattern such as 'gpu:!staging')");
        }
        List<String> patterns = Nodes.strings(m, "hosts", false);
        return String.join(":", patterns);
    }

    private static Map<String, Object> varsFiles(MapNode m, Path dir, List<String> files) {
        Map<String, Object> out = new LinkedHashMap<>();
        Node n = m.get("vars_files");
        for (int i = 0; i < files.size(); i++) {
            Mark at = n instanceof ListNode l ? l.items().get(i).mark() : n.mark();
            String f = files.get(i);
            if (Templar.isTemplate(f)) throw new YamlException(at, "vars_files: templated paths are not supported ('" + f + "')");
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) throw new YamlException(at, "vars_files: no such file " + p);
            Node root = YamlLoader.load(p);
            if (root == null) continue;
            if (!(root instanceof MapNode vars)) {
                throw new YamlException(root.mark(), "a vars file is a mapping of variables, not " + Nodes.kind(root));
            }
            out.putAll(Nodes.varsOf(vars, "vars_files"));
        }
        return out;
    }

    private static List<Serial> serial(MapNode m) {
        List<Serial> out = new ArrayList<>();
        Node n = m.get("serial");
        if (n == null) return out;
        List<Node> items = n instanceof ListNode l ? l.items() : List.of(n);
        for (Node i : items) {
            Object v = i instanceof ScalarNode s ? s.value() : null;
            try {
                if (v instanceof Integer k) out.add(new Serial(k, false));
                else if (v instanceof String s && s.strip().matches("\\d+%")) out.add(new Serial(Integer.parseInt(s.strip().replace("%", "")), true));
                else if (v instanceof String s && s.strip().matches("\\d+")) out.add(new Serial(Integer.parseInt(s.strip()), false));
                else throw new IllegalArgumentException("serial: expected a number of hosts (5) or a percentage (\"20%\"), or a list of them, not "
                        + (v == null ? Nodes.kind(i) : "'" + v + "'"));
            } catch (IllegalArgumentException e) {
                String msg = e.getMessage().startsWith("serial") ? e.getMessage() : "serial: " + e.getMessage();
                throw new YamlException(i == null ? m.keyMark("serial") : i.mark(), msg);
            }
        }
        return out;
    }

    private static Integer maxFail(MapNode m) {
        Node n = m.get("max_fail_percentage");
        if (n == null) return null;
        Object v = n instanceof ScalarNode s ? s.value() : null;
        if (v instanceof Number num && num.doubleValue() >= 0 && num.doubleValue() <= 100) return (int) Math.floor(num.doubleValue());
        throw new YamlException(n.mark(), "max_fail_percentage: expected a number from 0 to 100, not " + (v == null ? Nodes.kind(n) : "'" + v + "'"));
    }

    private static void checkNotifies(List<TaskParser.NotifyRef> refs, List<Task> handlers) {
        Set<String> names = new HashSet<>();
        for (Task h : handlers) {
            if (h.name() != null) names.add(h.name());
            names.addAll(h.listen());
        }
        for (TaskParser.NotifyRef r : refs) {
            if (!names.contains(r.name())) {
                throw new YamlException(r.mark(), "notify: no handler named '" + r.name() + "' in this play"
                        + (names.isEmpty() ? " (the play has no handlers)" : Suggest.hint(r.name(), names) + " (handlers: "
                        + String.join(", ", new TreeSet<>(names)) + ")"));
            }
        }
    }
}
