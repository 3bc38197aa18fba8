package dev.moat.inventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.moat.MoatException;
import dev.moat.yaml.ListNode;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;
import dev.moat.yaml.YamlLoader;

/**
 * Reads an Ansible YAML inventory, unchanged, plus the {@code group_vars/} and {@code host_vars/}
 * directories beside it.
 *
 * <pre>
 * all:
 *   vars: {ansible_user: ops}
 *   children:
 *     gpu:
 *       hosts:
 *         gpu-[01:03].example.net:      # a range: gpu-01 .. gpu-03
 *         10.0.0.9:2222:                # host:port sets ansible_port
 *           ansible_user: root
 *       children:
 *         eu: {hosts: {gpu-01.example.net: }}
 * web:                                  # top-level groups besides all are allowed
 *   hosts: {gpu-01.example.net: }       # one host may be in several groups
 * </pre>
 *
 * <p>Where Ansible merely warns and skips, moat refuses (exit 65, naming file:line:column), because a
 * silently dropped host or group would leave a server unhardened: a key under a group other than
 * {@code hosts}, {@code vars}, {@code children}; a group, section or host whose value is not a
 * mapping (a list under {@code hosts:} is the usual mistake: the message shows the right form);
 * a host range that is malformed or expands to nothing; an empty file; an inventory-plugin file.
 * As in Ansible, a section may also be one bare name ({@code hosts: web1}) or empty, and a host's
 * value may be empty. A missing inventory file is a usage error (exit 64): it is the command line
 * that names a file that is not there, not the inventory that is invalid.
 */
public final class InventoryLoader {
    private static final Set<String> SECTIONS = Set.of("hosts", "vars", "children");

    private InventoryLoader() {}

    /**
     * Loads one inventory source, as {@code -i FILE} does: a YAML file with the group_vars/ and
     * host_vars/ beside it, or any other form {@link InventorySources} reads (INI, a directory,
     * a script, a host list).
     */
    public static Inventory load(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (!Files.exists(abs) && !file.toString().contains(",")) throw MoatException.usage("inventory file not found: " + file);
        if (Files.isRegularFile(abs) && !Files.isExecutable(abs) && (abs.toString().endsWith(".yml") || abs.toString().endsWith(".yaml"))) {
            return fromNode(YamlLoader.load(abs), abs);
        }
        return InventorySources.load(file);
    }

    /** Parses inventory text as if it were {@code file} (group_vars/ and host_vars/ are looked up beside it, if that directory exists). */
    public static Inventory parse(String yaml, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return fromNode(YamlLoader.parse(yaml, abs), abs);
    }

    static Inventory fromNode(Node root, Path file) {
        InventoryGraph graph = new InventoryGraph();
        graph.currentSource(file.toString());
        addYaml(graph, root, file);
        graph.reconcile();
        return graph.build(file, new VarsFiles(file.getParent()));
    }

    /** Adds the groups and hosts of a YAML inventory document to {@code graph}. */
    static void addYaml(InventoryGraph graph, Node root, Path file) {
        if (root == null) throw new YamlException(new Mark(file, 1, 1), "the inventory is empty; it needs at least 'all:' with 'hosts:'");
        if (!(root instanceof MapNode top)) {
            throw new YamlException(root.mark(), "an inventory is a mapping of group names (usually 'all:'), not a "
                    + kind(root));
        }
        if (top.entries().isEmpty()) throw new YamlException(root.mark(), "the inventory is empty; it needs at least 'all:' with 'hosts:'");
        Node plugin = top.get("plugin");
        if (plugin != null && !(plugin instanceof ScalarNode s && s.value() == null)) {
            String name = plugin instanceof ScalarNode s ? String.valueOf(s.value()) : "?";
            throw new YamlException(top.keyMark("plugin"), "inventory plugin '" + name + "' is not supported: moat reads static"
                    + " inventories (YAML, INI, a directory of them, or an executable script printing Ansible's --list JSON);"
                    + " export this one with 'ansible-inventory -i " + file.getFileName() + " --list -y > hosts.yml' and use that");
        }
        new Walker(graph).top(top);
    }

    private static String kind(Node n) {
        if (n instanceof ListNode) return "list";
        if (n instanceof MapNode) return "mapping";
        Object v = ((ScalarNode) n).value();
        return v == null ? "null" : v instanceof String ? "string ('" + v + "')" : "scalar (" + v + ")";
    }

    /** Ansible's yaml inventory plugin _parse_group, strict where Ansible warns. */
    private static final class Walker {
        private final InventoryGraph graph;

        Walker(InventoryGraph graph) {
            this.graph = graph;
        }

        void top(MapNode top) {
            top.entries().forEach((name, data) -> {
                if (SECTIONS.contains(name) && data instanceof MapNode) {
                    throw new YamlException(top.keyMark(name), "top-level keys are group names, and '" + name
                            + "' looks like a misplaced section: write it under a group, e.g.\nall:\n  " + name + ":\n    ...");
                }
                group(name, top.keyMark(name), data);
            });
        }

        InventoryGraph.G group(String name, Mark at, Node data) {
            if (data != null && !(data instanceof MapNode) && !(data instanceof ScalarNode s && s.value() == null)) {
                throw new YamlException(data.mark(), "group '" + name + "' must be a mapping with hosts:, vars: or children:, not a "
                        + kind(data));
            }
            InventoryGraph.G g = graph.group(name, at);
            if (!(data instanceof MapNode m)) return g;
            for (String key : m.entries().keySet()) {
                if (!SECTIONS.contains(key)) {
                    throw new YamlException(m.keyMark(key), "unknown key '" + key + "' in group '" + name
                            + "': a group has only hosts:, vars: and children:" + hint(key));
                }
            }
            m.entries().forEach((key, value) -> {
                Map<String, Node> entries = section(name, key, m.keyMark(key), value);
                if (entries.isEmpty()) return;
                MapNode sec = value instanceof MapNode mm ? mm : null;
                if (key.equals("vars")) {
                    entries.forEach((var, v) -> graph.setGroupVar(g, var, v == null ? null : v.toPlain(), sec == null ? value.mark() : sec.keyMark(var)));
                } else if (key.equals("children")) {
                    entries.forEach((child, v) -> {
                        Mark cm = sec == null ? value.mark() : sec.keyMark(child);
                        graph.addChild(g, group(child, cm, v), cm);
                    });
                } else {
                    entries.forEach((pattern, v) -> hosts(g, pattern, sec == null ? value.mark() : sec.keyMark(pattern), v));
                }
            });
            return g;
        }

        /** A section's entries; a bare name stands for a one-entry mapping, as in Ansible. */
        private Map<String, Node> section(String group, String key, Mark at, Node value) {
            Map<String, Node> out = new LinkedHashMap<>();
            if (value == null) return out;
            if (value instanceof MapNode m) return m.entries();
            if (value instanceof ScalarNode s) {
                if (s.value() == null) return out;
                if (s.value() instanceof String name) {
                    out.put(name, null);
                    return out;
                }
            }
            String example = key.equals("hosts") ? "\n  hosts:\n    web1:\n    web2:\n      ansible_host: 10.0.0.2"
                    : key.equals("children") ? "\n  children:\n    gpu:\n    web:" : "\n  vars:\n    ansible_user: ops";
            if (value instanceof ListNode l && !key.equals("vars") && !l.items().isEmpty()
                    && l.items().stream().allMatch(i -> i instanceof ScalarNode sc && sc.value() != null)) {
                StringBuilder b = new StringBuilder("\n  " + key + ":");
                l.items().forEach(i -> b.append("\n    ").append(((ScalarNode) i).text()).append(":"));
                example = b.toString();
            }
            String what = value instanceof ListNode ? "a list" : kind(value);
            String common = value instanceof ListNode && !key.equals("vars") ? " (a common mistake: entries are keys ending in ':', not '- ' items)" : "";
            throw new YamlException(value.mark(), "'" + key + "' of group '" + group + "' must be a mapping, not " + what + common
                    + "; write it as:" + example);
        }

        private void hosts(InventoryGraph.G g, String pattern, Mark at, Node v) {
            if (v != null && !(v instanceof MapNode) && !(v instanceof ScalarNode s && s.value() == null)) {
                throw new YamlException(v.mark(), "host '" + pattern + "' must have a mapping of variables or nothing, not a "
                        + kind(v) + "; write it as:\n  " + pattern + ":\n    ansible_host: 10.0.0.2");
            }
            if (pattern.isBlank()) throw new YamlException(at, "empty host name in group '" + g.name + "'");
            HostRange.Expansion e;
            try {
                e = HostRange.expandPattern(pattern);
            } catch (HostRange.BadRange bad) {
                throw new YamlException(at, bad.getMessage());
            }
            for (String name : e.names()) {
                InventoryGraph.H h = graph.host(name, e.port(), at);
                graph.addHost(g, h);
                if (v instanceof MapNode vars) vars.entries().forEach((k, x) -> h.vars.put(k, x == null ? null : x.toPlain()));
            }
        }

        private static String hint(String key) {
            switch (key) {
                case "host": return " (did you mean hosts:?)";
                case "var": return " (did you mean vars:?)";
                case "child": case "groups": case "subgroups": return " (did you mean children:?)";
                default: return "; variables go under vars:, hosts under hosts:";
            }
        }
    }
}
