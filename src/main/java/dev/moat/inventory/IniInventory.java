package dev.moat.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.yaml.Mark;
import dev.moat.yaml.YamlException;

/**
 * Ansible's INI inventory format, read as its {@code ini} plugin reads it (2.14):
 *
 * <pre>
 * gpu-00.example.net                 # before any section: ungrouped
 * [gpu]
 * gpu-[01:10].example.net            # ranges, as in YAML
 * 10.0.0.9:2222 ansible_user=root    # host:port, then key=value (shell-quoted)
 * [gpu:vars]
 * ansible_user = ops
 * [eu:children]
 * gpu
 * </pre>
 *
 * Every value — after {@code key=} on a host line and after {@code key =} in a {@code :vars}
 * section — goes through Python's {@code literal_eval} ({@link PyLiteral}): {@code 22} is a number,
 * {@code "22"} on a host line is a number too (the shell quoting is gone by then), {@code "'22'"}
 * is a string, {@code yes} is the string "yes". Whole-line comments start with {@code #} or
 * {@code ;}; on a host line {@code #} outside quotes ends it. A group in {@code [x:children]} or
 * {@code [x:vars]} must be declared somewhere in the file ({@code [x]} or {@code [x:children]}).
 * Errors name file:line (exit 65), with Ansible's wording where it has one.
 */
final class IniInventory {
    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$");
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");

    private final InventoryGraph graph;
    private final Path file;
    private int lineno;

    private record Pending(int line, String state, String name, List<String> parents) {}

    private IniInventory(InventoryGraph graph, Path file) {
        this.graph = graph;
        this.file = file;
    }

    /** Adds the hosts and groups of INI {@code text}, read from {@code file}, to {@code graph}. */
    static void parse(InventoryGraph graph, String text, Path file) {
        new IniInventory(graph, file).parse(text.split("\\r?\\n|\\r", -1));
    }

    private void parse(String[] lines) {
        Map<String, Pending> pending = new LinkedHashMap<>();
        String group = "ungrouped";
        String state = "hosts";
        lineno = 0;
        for (String raw : lines) {
            lineno++;
            String line = raw.strip();
            if (line.isEmpty() || line.charAt(0) == ';' || line.charAt(0) == '#') continue;
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                group = m.group(1);
                state = m.group(2) == null ? "hosts" : m.group(2);
                if (!List.of("hosts", "children", "vars").contains(state)) {
                    throw error("Section [" + m.group(1) + ":" + m.group(2) + "] has unknown type: " + state
                            + " (a section is [group], [group:vars] or [group:children])");
                }
                if (!graph.hasGroup(group)) {
                    if (state.equals("vars") && !pending.containsKey(group)) pending.put(group, new Pending(lineno, state, group, new ArrayList<>()));
                    graph.group(group, mark());
                }
                Pending p = pending.get(group);
                if (p != null && !state.equals("vars")) {
                    if (p.state.equals("children")) addPendingChildren(group, pending);
                    else pending.remove(group);
                }
                continue;
            } else if (line.startsWith("[") && line.endsWith("]")) {
                throw error("Invalid section entry: '" + line + "'. Please make sure that there are no spaces in the section entry,"
                        + " and that there are no other invalid characters");
            }
            switch (state) {
                case "hosts":
                    hostLine(line, group);
                    break;
                case "vars":
                    int eq = line.indexOf('=');
                    if (eq < 0) throw error("Expected key=value, got: " + line);
                    graph.setGroupVar(graph.group(group, mark()), line.substring(0, eq).strip(),
                            PyLiteral.eval(line.substring(eq + 1).strip()), mark());
                    break;
                default:
                    Matcher gm = GROUP_NAME.matcher(line);
                    if (!gm.matches()) throw error("Expected group name, got: " + line);
                    String child = gm.group(1);
                    if (!graph.hasGroup(child)) {
                        Pending p = pending.get(child);
                        if (p == null) pending.put(child, new Pending(lineno, "children", child, new ArrayList<>(List.of(group))));
                        else p.parents.add(group);
                    } else {
                        graph.addChild(graph.group(group, mark()), graph.group(child, mark()), mark());
                    }
            }
        }
        for (Pending p : pending.values()) {
            lineno = p.line;
            if (p.state.equals("vars")) {
                throw error("Section [" + p.name + ":vars] not valid for undefined group: " + p.name
                        + " (declare it with [" + p.name + "] or list it under some [parent:children])");
            }
            throw error("Section [" + p.parents.get(p.parents.size() - 1) + ":children] includes undefined group: " + p.name
                    + " (declare it with its own [" + p.name + "] section)");
        }
    }

    private void addPendingChildren(String group, Map<String, Pending> pending) {
        for (String parent : pending.get(group).parents) {
            graph.addChild(graph.group(parent, mark()), graph.group(group, mark()), mark());
            Pending pp = pending.get(parent);
            if (pp != null && pp.state.equals("children")) addPendingChildren(parent, pending);
        }
        pending.remove(group);
    }

    private void hostLine(String line, String group) {
        List<String> tokens;
        try {
            tokens = Shlex.split(line);
        } catch (IllegalArgumentException e) {
            throw error("Error parsing host definition '" + line + "': " + e.getMessage());
        }
        if (tokens.isEmpty()) return;
        String pattern = tokens.get(0);
        HostRange.Expansion e;
        try {
            e = HostRange.expandPattern(pattern);
        } catch (HostRange.BadRange bad) {
            throw error(bad.getMessage());
        }
        if (pattern.strip().endsWith(":") && e.port() == null) {
            throw error("Invalid host pattern '" + pattern + "' supplied, ending in ':' is not allowed, this character is reserved to provide a port.");
        }
        for (String n : e.names()) {
            if (n.strip().equals("---")) throw error("Invalid host pattern '" + pattern + "' supplied, '---' is normally a sign this is a YAML file.");
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String t : tokens.subList(1, tokens.size())) {
            int eq = t.indexOf('=');
            if (eq < 0) throw error("Expected key=value host variable assignment, got: " + t);
            vars.put(t.substring(0, eq), PyLiteral.eval(t.substring(eq + 1)));
        }
        InventoryGraph.G g = graph.group(group, mark());
        for (String n : e.names()) {
            InventoryGraph.H h = graph.host(n, e.port(), mark());
            graph.addHost(g, h);
            h.vars.putAll(vars);
        }
    }

    private Mark mark() {
        return new Mark(file, lineno, 1);
    }

    private YamlException error(String message) {
        return new YamlException(new Mark(file, lineno, 1), message);
    }
}
