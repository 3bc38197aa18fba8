package dev.moat.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.MoatException;

/**
 * What {@code moat inventory --list} and {@code --graph} print: the exact shapes, and the exact
 * text, of {@code ansible-inventory --list} and {@code --graph [--vars]}. Pure: returns strings.
 *
 * <pre>
 * {
 *     "_meta": {"hostvars": {"gpu-01": {"ansible_user": "ops"}}},
 *     "all": {"children": ["ungrouped", "gpu"]},
 *     "gpu": {"hosts": ["gpu-01"]}
 * }
 * </pre>
 * A group shows its direct {@code hosts} and {@code children} (empty lists left out, a group with
 * neither left out, {@code all} never lists hosts); {@code _meta.hostvars} holds each host's merged
 * variables (hosts without any are left out). The text has no trailing newline.
 */
public final class InventoryReport {
    private InventoryReport() {}

    /** The {@code ansible-inventory --list} JSON text. */
    public static String list(Inventory inv) {
        return PyFormat.json(listData(inv));
    }

    /** The same as a Jackson tree. */
    public static JsonNode listTree(Inventory inv) {
        return new ObjectMapper().valueToTree(listData(inv));
    }

    /** The same as plain maps and lists. */
    public static Map<String, Object> listData(Inventory inv) {
        Map<String, Object> out = new TreeMap<>();
        formatGroup(inv, inv.groups().get("all"), out, new HashSet<>());
        Map<String, Object> hostvars = new TreeMap<>();
        for (Host h : inv.hosts()) {
            if (!h.vars().isEmpty()) hostvars.put(h.name(), h.vars());
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("hostvars", hostvars);
        out.put("_meta", meta);
        return out;
    }

    private static void formatGroup(Inventory inv, Group g, Map<String, Object> out, Set<String> seen) {
        Map<String, Object> entry = new LinkedHashMap<>();
        if (!g.name().equals("all") && !g.hosts().isEmpty()) entry.put("hosts", g.hosts());
        if (!g.children().isEmpty()) entry.put("children", g.children());
        for (String c : g.children()) {
            if (seen.add(c)) formatGroup(inv, inv.groups().get(c), out, seen);
        }
        if (!entry.isEmpty()) out.put(g.name(), entry);
    }

    /** {@code ansible-inventory --graph}. */
    public static String graph(Inventory inv) {
        return graph(inv, "all", false);
    }

    /** {@code ansible-inventory --graph GROUP [--vars]}; an unknown group is a usage error. */
    public static String graph(Inventory inv, String group, boolean withVars) {
        Group start = inv.groups().get(group);
        if (start == null) throw MoatException.usage("--graph takes a group name; there is no group '" + group + "'");
        List<String> lines = new ArrayList<>();
        graphGroup(inv, start, 0, withVars, lines);
        return String.join("\n", lines);
    }

    private static void graphGroup(Inventory inv, Group g, int depth, boolean withVars, List<String> lines) {
        lines.add(name("@" + g.name() + ":", depth));
        int d = depth + 1;
        for (String c : g.children()) graphGroup(inv, inv.groups().get(c), d, withVars, lines);
        if (!g.name().equals("all")) {
            for (String h : g.hosts()) {
                lines.add(name(h, d));
                if (withVars) showVars(inv.hostVars(h), d + 1, lines);
            }
        }
        if (withVars) {
            Map<String, Object> vars = new LinkedHashMap<>(g.vars());
            if (g.priority() != 1) vars.put("ansible_group_priority", g.priority());
            showVars(vars, d, lines);
        }
    }

    private static void showVars(Map<String, Object> vars, int depth, List<String> lines) {
        new TreeMap<>(vars).forEach((k, v) -> lines.add(name("{" + k + " = " + PyFormat.str(v) + "}", depth)));
    }

    private static String name(String s, int depth) {
        return depth == 0 ? s : "  |".repeat(depth) + "--" + s;
    }
}
