package dev.moat.inventory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.yaml.Mark;
import dev.moat.yaml.YamlException;

/**
 * The mutable group/host graph the loader fills, mirroring Ansible's InventoryData: groups and
 * hosts are global by name (a group or host named twice is one), {@link #reconcile} hangs
 * parentless groups under {@code all} and puts group-less hosts in {@code ungrouped}, and
 * {@link #build} merges variables in Ansible's order into the immutable {@link Inventory}.
 */
final class InventoryGraph {
    static final class G {
        final String name;
        final Mark mark;
        final Map<String, Object> vars = new LinkedHashMap<>();
        final List<G> children = new ArrayList<>();
        final List<G> parents = new ArrayList<>();
        final List<H> hosts = new ArrayList<>();
        int priority = 1;

        G(String name, Mark mark) {
            this.name = name;
            this.mark = mark;
        }
    }

    static final class H {
        final String name;
        final Mark mark;
        final Map<String, Object> vars = new LinkedHashMap<>();
        final List<G> direct = new ArrayList<>();

        H(String name, Mark mark) {
            this.name = name;
            this.mark = mark;
        }
    }

    private final Map<String, G> groups = new LinkedHashMap<>();
    private final Map<String, H> hosts = new LinkedHashMap<>();
    private final Map<String, String> hostSources = new LinkedHashMap<>();
    private String currentSource;

    InventoryGraph() {
        G all = group("all", Mark.NONE);
        addChild(all, group("ungrouped", Mark.NONE), Mark.NONE);
    }

    G group(String name, Mark mark) {
        return groups.computeIfAbsent(name, n -> new G(n, mark));
    }

    boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    /** Ansible's set_variable on a group: {@code ansible_group_priority} sets the priority (an integer), anything else a variable. */
    void setGroupVar(G g, String var, Object value, Mark at) {
        if (var.equals("ansible_group_priority")) g.priority = priority(value, at);
        else g.vars.put(var, value);
    }

    private static int priority(Object value, Mark at) {
        if (value instanceof Integer || value instanceof Long) return ((Number) value).intValue();
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new YamlException(at, "ansible_group_priority must be an integer, not " + value);
    }

    /** The source the next new host is first seen in (Ansible's {@code inventory_file}): a file, or a host list as typed. */
    void currentSource(String source) {
        this.currentSource = source;
    }

    /** The host named {@code name}, created with {@code ansible_port} when a {@code host:port} key first names it. */
    H host(String name, Integer port, Mark mark) {
        H h = hosts.get(name);
        if (h == null) {
            h = new H(name, mark);
            if (port != null) h.vars.put("ansible_port", port);
            hosts.put(name, h);
            if (currentSource != null) hostSources.put(name, currentSource);
        }
        return h;
    }

    void addHost(G g, H h) {
        if (!g.hosts.contains(h)) {
            g.hosts.add(h);
            h.direct.add(g);
        }
    }

    void addChild(G parent, G child, Mark at) {
        if (parent == child) throw new YamlException(at, "group '" + child.name + "' cannot be a child of itself");
        if (child.name.equals("all")) throw new YamlException(at, "group 'all' cannot be a child of another group");
        if (ancestors(parent).contains(child)) {
            throw new YamlException(at, "adding group '" + child.name + "' as a child of '" + parent.name
                    + "' makes a loop ('" + child.name + "' is already above '" + parent.name + "')");
        }
        if (!parent.children.contains(child)) parent.children.add(child);
        if (!child.parents.contains(parent)) child.parents.add(parent);
    }

    private static Set<G> ancestors(G g) {
        Set<G> seen = new LinkedHashSet<>();
        List<G> todo = new ArrayList<>(g.parents);
        while (!todo.isEmpty()) {
            G p = todo.remove(todo.size() - 1);
            if (seen.add(p)) todo.addAll(p.parents);
        }
        return seen;
    }

    /** All groups of a host: the ones listing it and their ancestors. */
    private static Set<G> groupsOf(H h) {
        Set<G> out = new LinkedHashSet<>();
        for (G g : h.direct) {
            out.add(g);
            out.addAll(ancestors(g));
        }
        return out;
    }

    /** Ansible's reconcile_inventory. */
    void reconcile() {
        G all = groups.get("all");
        G ungrouped = groups.get("ungrouped");
        for (G g : new ArrayList<>(groups.values())) {
            if (g != all && g.parents.isEmpty()) addChild(all, g, g.mark);
        }
        for (H h : hosts.values()) {
            Set<G> mine = groupsOf(h);
            if (mine.contains(ungrouped)) {
                Set<G> others = new HashSet<>(mine);
                others.remove(all);
                others.remove(ungrouped);
                if (!others.isEmpty()) {
                    ungrouped.hosts.remove(h);
                    h.direct.remove(ungrouped);
                }
            } else if (mine.isEmpty() || (mine.size() == 1 && mine.contains(all))) {
                addHost(ungrouped, h);
            }
        }
    }

    /** Merges variables (see {@link Inventory}) and freezes the graph. Call {@link #reconcile} first. */
    Inventory build(Path source, VarsFiles files) {
        return build(source, List.of(files));
    }

    /**
     * As {@link #build(Path, VarsFiles)} with the group_vars/ and host_vars/ of several inventory
     * sources: as in Ansible, each layer (group_vars/all, then every group's group_vars, then
     * host_vars) is read source by source, a later source winning.
     */
    Inventory build(Path source, List<VarsFiles> files) {
        Map<G, Integer> depth = new HashMap<>();
        for (G g : groups.values()) depth(g, depth);
        Comparator<G> order = Comparator.<G>comparingInt(depth::get).thenComparingInt(g -> g.priority)
                .thenComparing(g -> g.name);
        Map<String, Map<String, Object>> groupFiles = new HashMap<>();
        List<Map<String, Map<String, Object>>> perSource = new ArrayList<>();
        for (VarsFiles f : files) {
            Map<String, Map<String, Object>> m = new HashMap<>();
            for (G g : groups.values()) m.put(g.name, f.group(g.name));
            perSource.add(m);
        }
        for (G g : groups.values()) {
            Map<String, Object> merged = new LinkedHashMap<>();
            for (Map<String, Map<String, Object>> m : perSource) merged.putAll(m.get(g.name));
            groupFiles.put(g.name, merged);
        }

        Map<String, Group> outGroups = new LinkedHashMap<>();
        for (G g : groups.values()) {
            Map<String, Object> vars = new LinkedHashMap<>(g.vars);
            vars.putAll(groupFiles.get(g.name));
            outGroups.put(g.name, new Group(g.name, vars, g.children.stream().map(c -> c.name).toList(),
                    g.hosts.stream().map(x -> x.name).toList(), depth.get(g), g.priority, g.mark));
        }
        G all = groups.get("all");
        List<Host> outHosts = new ArrayList<>();
        for (H h : hosts.values()) {
            List<G> sorted = new ArrayList<>(groupsOf(h));
            sorted.remove(all);
            sorted.sort(order);
            Map<String, Object> vars = new LinkedHashMap<>(all.vars);
            for (G g : sorted) vars.putAll(g.vars);
            for (Map<String, Map<String, Object>> m : perSource) vars.putAll(m.get("all"));
            for (Map<String, Map<String, Object>> m : perSource) {
                for (G g : sorted) vars.putAll(m.get(g.name));
            }
            vars.putAll(h.vars);
            for (VarsFiles f : files) vars.putAll(f.host(h.name));
            List<String> groupNames = new ArrayList<>();
            groupNames.add("all");
            for (G g : sorted) groupNames.add(g.name);
            outHosts.add(new Host(h.name, vars, h.direct.stream().map(g -> g.name).toList(), groupNames, h.mark));
        }
        return new Inventory(source, outHosts, outGroups, hostSources);
    }

    /** The longest path from {@code all}, which is what Ansible's incremental depth updates converge to. */
    private static int depth(G g, Map<G, Integer> memo) {
        Integer d = memo.get(g);
        if (d != null) return d;
        int max = 0;
        for (G p : g.parents) max = Math.max(max, depth(p, memo) + 1);
        memo.put(g, max);
        return max;
    }
}
