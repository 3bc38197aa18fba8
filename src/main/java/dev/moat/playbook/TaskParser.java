package dev.moat.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.moat.module.Spec;
import dev.moat.template.Templar;
import dev.moat.yaml.ListNode;
import dev.moat.yaml.LoadWarning;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;

/** Reads a play's task lists (tasks, blocks, handlers), applying inherited keywords as Ansible does. */
final class TaskParser {
    /** What a block passes down to the tasks inside it. */
    record Inherited(List<String> when, List<String> tags, Boolean become, String becomeUser, Boolean noLog,
                     Boolean ignoreErrors, Map<String, Object> vars) {}

    /** A {@code notify:} target, checked against the play's handlers once they are read. */
    record NotifyRef(String name, Mark mark) {}

    private final ModuleCatalog catalog;
    final List<NotifyRef> notifies = new ArrayList<>();
    final List<LoadWarning> warnings = new ArrayList<>();

    TaskParser(ModuleCatalog catalog) {
        this.catalog = catalog;
    }

    List<TaskItem> items(List<Node> nodes, Inherited in, boolean handlers) {
        List<TaskItem> out = new ArrayList<>();
        for (Node n : nodes) {
            if (!(n instanceof MapNode m)) {
                throw new YamlException(n == null ? Mark.NONE : n.mark(), "a task is a mapping (name, a module, keywords), not " + Nodes.kind(n));
            }
            if (m.has("block")) {
                if (handlers) throw new YamlException(m.keyMark("block"), "blocks are not supported among handlers");
                out.add(block(m, in));
            } else {
                out.add(task(m, in, handlers));
            }
        }
        return out;
    }

    private Block block(MapNode m, Inherited in) {
        for (String k : m.entries().keySet()) {
            if (!Keywords.BLOCK.contains(k)) {
                throw new YamlException(m.keyMark(k), "'" + k + "' is not allowed on a block" + Suggest.hint(k, Keywords.BLOCK)
                        + " (a block takes: " + String.join(", ", new TreeSet<>(Keywords.BLOCK)) + ")");
            }
        }
        String name = Nodes.string(m, "name");
        List<String> when = Nodes.conditions(m, "when");
        List<String> tags = Nodes.strings(m, "tags", true);
        Boolean become = Nodes.bool(m, "become");
        String becomeUser = Nodes.string(m, "become_user");
        Boolean noLog = Nodes.bool(m, "no_log");
        Boolean ignore = Nodes.bool(m, "ignore_errors");
        Map<String, Object> vars = Nodes.vars(m, "vars");
        Rollback rollback = null;
        if (m.has("rollback")) {
            rollback = Rollback.parse(Nodes.string(m, "rollback"));
            if (rollback == null) throw new YamlException(Nodes.at(m, "rollback"), "rollback: expected host, block or none");
        }
        if (m.get("block") == null || Nodes.list(m, "block").isEmpty()) {
            throw new YamlException(Nodes.at(m, "block"), "block: expected a non-empty list of tasks");
        }
        Inherited inner = new Inherited(concat(in.when(), when), union(in.tags(), tags),
                become != null ? become : in.become(), becomeUser != null ? becomeUser : in.becomeUser(),
                noLog != null ? noLog : in.noLog(), ignore != null ? ignore : in.ignoreErrors(), overlay(in.vars(), vars));
        List<TaskItem> body = items(Nodes.list(m, "block"), inner, false);
        List<TaskItem> rescue = items(Nodes.list(m, "rescue"), inner, false);
        List<TaskItem> always = items(Nodes.list(m, "always"), inner, false);
        return new Block(name, body, rescue, always, when, tags, become, becomeUser, noLog != null && noLog,
                ignore != null && ignore, vars, rollback, m.mark());
    }

    private Task task(MapNode m, Inherited in, boolean handler) {
        String module = null;
        String moduleKey = null;
        Spec spec = null;
        String unknown = null;
        for (String k : m.entries().keySet()) {
            if (Keywords.TASK.contains(k)) continue;
            if (Keywords.UNSUPPORTED_TASK.contains(k)) {
                throw new YamlException(m.keyMark(k), "'" + k + "' is not supported by moat"
                        + (k.startsWith("with_") ? "; use 'loop:'" : ""));
            }
            String shortName = shortName(k);
            Optional<Spec> s = catalog.spec(shortName);
            if (s.isPresent()) {
                if (module != null) {
                    throw new YamlException(m.keyMark(k), "a task has one module; this one has '" + moduleKey + "' and '" + k + "'");
                }
                module = shortName;
                moduleKey = k;
                spec = s.get();
            } else if (unknown == null) {
                unknown = k;
            }
        }
        if (unknown != null) {
            if (module != null) {
                throw new YamlException(m.keyMark(unknown), "unknown task keyword '" + unknown + "'"
                        + Suggest.hint(unknown, Keywords.TASK) + " (the module is '" + moduleKey + "')");
            }
            Set<String> all = new LinkedHashSet<>(catalog.names());
            all.addAll(Keywords.TASK);
            String guess = Suggest.closest(unknown, all);
            String what = guess != null && Keywords.TASK.contains(guess) ? "unknown task keyword or module" : "unknown module";
            throw new YamlException(m.keyMark(unknown), what + " '" + unknown + "'"
                    + (guess != null ? "; did you mean '" + guess + "'?" : "; moat's modules: " + String.join(", ", new TreeSet<>(catalog.names()))));
        }
        String name = Nodes.string(m, "name");
        if (module == null) {
            throw new YamlException(m.mark(), (name != null ? "task '" + name + "'" : "this task") + " has no module; moat's modules: "
                    + String.join(", ", new TreeSet<>(catalog.names())));
        }
        if (!handler && m.has("listen")) throw new YamlException(m.keyMark("listen"), "listen: only handlers listen");
        ModuleArgs args = ModuleArgs.read(m, moduleKey, module, spec);
        warnings.addAll(args.warnings);

        List<String> when = concat(in.when(), Nodes.conditions(m, "when"));
        Object loop = loop(m);
        LoopControl lc = loopControl(m, loop != null);
        String register = Nodes.identifier(m, "register");
        List<String> notify = Nodes.strings(m, "notify", false);
        for (int i = 0; i < notify.size(); i++) {
            Node n = m.get("notify");
            Mark at = n instanceof ListNode l ? l.items().get(i).mark() : n.mark();
            if (!Templar.isTemplate(notify.get(i))) notifies.add(new NotifyRef(notify.get(i), at));
        }
        List<String> tags = union(in.tags(), Nodes.strings(m, "tags", true));
        Boolean noLog = Nodes.bool(m, "no_log");
        Boolean ignore = Nodes.bool(m, "ignore_errors");
        Boolean become = Nodes.bool(m, "become");
        String becomeUser = Nodes.string(m, "become_user");
        List<String> changedWhen = Nodes.conditions(m, "changed_when");
        List<String> failedWhen = Nodes.conditions(m, "failed_when");
        List<String> listen = Nodes.strings(m, "listen", false);
        Map<String, Object> vars = overlay(in.vars(), Nodes.vars(m, "vars"));
        return new Task(name, module, args.args, when, loop, lc, register, notify, tags,
                noLog != null ? noLog : in.noLog() != null && in.noLog(),
                ignore != null ? ignore : in.ignoreErrors() != null && in.ignoreErrors(),
                changedWhen, failedWhen, become != null ? become : in.become(),
                becomeUser != null ? becomeUser : in.becomeUser(), listen, vars, m.mark(), m.keyMark(moduleKey), args.marks,
                Nodes.bool(m, "check_mode"));
    }

    /** {@code ansible.builtin.copy}, {@code community.general.ufw}: the short name when moat knows it. */
    private String shortName(String key) {
        if (catalog.spec(key).isPresent() || key.indexOf('.') < 0) return key;
        String last = key.substring(key.lastIndexOf('.') + 1);
        return catalog.spec(last).isPresent() ? last : key;
    }

    private static Object loop(MapNode m) {
        if (!m.has("loop")) return null;
        Node n = m.get("loop");
        if (n instanceof ListNode) {
            Nodes.checkTemplates(n, "loop");
            return n.toPlain();
        }
        if (n instanceof ScalarNode s && s.value() instanceof String text && Templar.isTemplate(text)) {
            Nodes.checkTemplate(n, "loop");
            return text;
        }
        String hint = n instanceof MapNode ? " (to loop over a mapping, write \"{{ m | dict2items }}\")"
                : n instanceof ScalarNode s && s.value() instanceof String text ? " (did you mean \"{{ " + text.strip() + " }}\"?)" : "";
        throw new YamlException(Nodes.at(m, "loop"), "loop: expected a list, or a template that gives one such as \"{{ items }}\", not "
                + Nodes.kind(n) + hint);
    }

    private static LoopControl loopControl(MapNode m, boolean hasLoop) {
        MapNode lc = Nodes.map(m, "loop_control");
        if (lc == null) return LoopControl.DEFAULT;
        if (!hasLoop) throw new YamlException(m.keyMark("loop_control"), "loop_control: the task has no loop");
        Set<String> known = Set.of("loop_var", "label", "index_var");
        for (String k : lc.entries().keySet()) {
            if (!known.contains(k)) {
                throw new YamlException(lc.keyMark(k), "loop_control: unknown key '" + k + "'" + Suggest.hint(k, known)
                        + " (moat reads loop_var, label, index_var)");
            }
        }
        return new LoopControl(Nodes.identifier(lc, "loop_var"), Nodes.string(lc, "label"), Nodes.identifier(lc, "index_var"));
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static List<String> union(List<String> a, List<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return new ArrayList<>(out);
    }

    static Map<String, Object> overlay(Map<String, Object> low, Map<String, Object> high) {
        Map<String, Object> out = new LinkedHashMap<>(low);
        out.putAll(high);
        return out;
    }
}
