package dev.moat.playbook;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.moat.template.Templar;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;

/**
 * Ansible's older way of naming a task's module, read as the usual one:
 * {@code action: command echo hi} is {@code command: echo hi}, and
 * {@code action: {module: copy, dest: /x, content: y}} is {@code copy: {dest: /x, content: y}};
 * {@code local_action:} is the same with {@code delegate_to: localhost}.
 *
 * <pre>
 * - name: old form
 *   action: apt name=curl state=present
 * </pre>
 */
final class ActionKey {
    private ActionKey() {}

    /** {@code task} with its {@code action:} (if any) replaced by the module key it names, in place. */
    static MapNode rewrite(MapNode task) {
        boolean local = task.has("local_action");
        if (local && task.has("action")) throw new YamlException(task.keyMark("local_action"), "a task has one module; this one has 'action' and 'local_action'");
        if (local && task.has("delegate_to")) throw new YamlException(task.keyMark("delegate_to"), "local_action runs on the controller; remove delegate_to");
        String key = local ? "local_action" : "action";
        if (!task.has(key)) return task;
        Node v = task.get(key);
        Mark at = Nodes.at(task, key);
        String module;
        Node args;
        if (v instanceof ScalarNode s && s.value() instanceof String text && !text.isBlank()) {
            String t = text.strip();
            int space = t.indexOf(' ');
            module = space < 0 ? t : t.substring(0, space);
            String rest = space < 0 ? "" : t.substring(space + 1).strip();
            args = rest.isEmpty() ? null : new ScalarNode(s.mark(), rest, s.quoted());
        } else if (v instanceof MapNode m && m.get("module") instanceof ScalarNode name && name.value() != null) {
            module = name.text();
            Map<String, Node> rest = new LinkedHashMap<>(m.entries());
            Map<String, Mark> marks = new LinkedHashMap<>(m.keyMarks());
            rest.remove("module");
            marks.remove("module");
            args = new MapNode(m.mark(), rest, marks);
        } else {
            throw new YamlException(at, key + ": expected a module and its arguments (action: command echo hi) or a mapping"
                    + " with 'module:' (action: {module: copy, dest: /x}), not " + Nodes.kind(v));
        }
        if (Templar.isTemplate(module)) throw new YamlException(at, key + ": the module name '" + module + "' is a template; moat needs it written out");
        if (task.has(module)) throw new YamlException(task.keyMark(module), "a task has one module; this one has '" + key + ": " + module + "' and '" + module + "'");
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Mark> marks = new LinkedHashMap<>();
        task.entries().forEach((k, n) -> {
            String name = k.equals(key) ? module : k;
            entries.put(name, k.equals(key) ? args : n);
            marks.put(name, task.keyMark(k));
        });
        if (local) {
            entries.put("delegate_to", new ScalarNode(at, "localhost", false));
            marks.put("delegate_to", task.keyMark(key));
        }
        return new MapNode(task.mark(), entries, marks);
    }
}
