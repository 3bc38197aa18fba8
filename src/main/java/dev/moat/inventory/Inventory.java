package dev.moat.inventory;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.moat.MoatException;

/**
 * A resolved Ansible inventory: hosts in the order they first appear, groups (with {@code all} and
 * {@code ungrouped}) in the order Ansible creates them. Built by {@link InventoryLoader}.
 *
 * <p>Inventory-level variable precedence is Ansible's ({@code VariableManager.get_vars} with the
 * default {@code VARIABLE_PRECEDENCE}), lowest first:
 * <ol>
 *   <li>{@code all}'s {@code vars:} in the inventory file;</li>
 *   <li>every other group's {@code vars:} in the inventory file, groups sorted by depth, then
 *       {@code ansible_group_priority}, then name (so a child beats its parent, and of two sibling
 *       groups the alphabetically later one wins);</li>
 *   <li>{@code group_vars/all};</li>
 *   <li>{@code group_vars/GROUP} for the other groups, in the same order — so any group_vars file
 *       beats any group's {@code vars:} written in the inventory file, as in Ansible;</li>
 *   <li>the host's own variables in the inventory file (later mentions of a host override earlier ones);</li>
 *   <li>{@code host_vars/HOST}.</li>
 * </ol>
 * Merging replaces whole top-level values (Ansible's default {@code hash_behaviour=replace}).
 * Play vars, {@code -e} and registered values are layered on top by the playbook engine.
 *
 * <p>An immutable value (a class rather than a record only to keep a name index and the
 * {@code groups} map, both derived).
 */
public final class Inventory {
    private final Path source;
    private final List<Host> hosts;
    private final Map<String, Group> groups;
    private final Map<String, Host> byName = new LinkedHashMap<>();
    private final Map<String, List<String>> groupsMap;
    private final Map<String, String> hostSources;

    /**
     * @param source the inventory file (absolute)
     * @param hosts every host, in order of first appearance in the file
     * @param groups every group by name, {@code all} and {@code ungrouped} included
     */
    public Inventory(Path source, List<Host> hosts, Map<String, Group> groups) {
        this(source, hosts, groups, Map.of());
    }

    /**
     * @param hostSources host name → the source it was first seen in (a file, or a host list as
     *     typed), for {@code inventory_file}; hosts not in it use {@code source}
     */
    public Inventory(Path source, List<Host> hosts, Map<String, Group> groups, Map<String, String> hostSources) {
        this.hostSources = Map.copyOf(hostSources);
        this.source = java.util.Objects.requireNonNull(source, "source");
        this.hosts = List.copyOf(hosts);
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        Set<String> names = byName.keySet();
        for (Host h : hosts) {
            if (byName.put(h.name(), h) != null) throw new IllegalArgumentException("host " + h.name() + " listed twice");
        }
        if (!groups.containsKey("all") || !groups.containsKey("ungrouped")) {
            throw new IllegalArgumentException("an inventory always has the groups all and ungrouped");
        }
        for (Group g : groups.values()) {
            for (String c : g.children()) {
                if (!groups.containsKey(c)) throw new IllegalArgumentException("group " + g.name() + " has unknown child " + c);
            }
            for (String h : g.hosts()) {
                if (!names.contains(h)) throw new IllegalArgumentException("group " + g.name() + " has unknown host " + h);
            }
        }
        Map<String, List<String>> gm = new LinkedHashMap<>();
        for (String g : this.groups.keySet()) gm.put(g, hostsOf(g).stream().map(Host::name).toList());
        this.groupsMap = Collections.unmodifiableMap(gm);
    }

    /** The inventory file (the first source, when there are several). */
    public Path source() {
        return source;
    }

    /** The inventory's sources for a message: the file, or every distinct source hosts came from. */
    public String describe() {
        java.util.Set<String> all = new java.util.LinkedHashSet<>(hostSources.values());
        return all.size() > 1 ? String.join(", ", all) : source.toString();
    }

    /** Every host, in order of first appearance in the file. */
    public List<Host> hosts() {
        return hosts;
    }

    /** Every group by name, in the order Ansible creates them ({@code all}, {@code ungrouped}, then as met in the file). */
    public Map<String, Group> groups() {
        return groups;
    }

    public Optional<Host> host(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<Group> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    /** The host, or a usage error (exit 64) naming it. */
    public Host requireHost(String name) {
        return host(name).orElseThrow(() -> MoatException.usage("no host '" + name + "' in inventory " + source));
    }

    /**
     * Every host of a group, its child groups' hosts included, deduplicated, in Ansible's order
     * ({@code Group.get_hosts}: the group's own hosts, then its children's level by level).
     */
    public List<Host> hostsOf(String group) {
        Group start = groups.get(group);
        if (start == null) throw MoatException.usage("no group '" + group + "' in inventory " + source);
        List<Group> ordered = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<Group> queue = new ArrayDeque<>();
        queue.add(start);
        seen.add(start.name());
        while (!queue.isEmpty()) {
            Group g = queue.poll();
            ordered.add(g);
            for (String c : g.children()) {
                if (seen.add(c)) queue.add(groups.get(c));
            }
        }
        Set<String> hostNames = new LinkedHashSet<>();
        for (Group g : ordered) hostNames.addAll(g.hosts());
        List<Host> out = new ArrayList<>();
        for (String n : hostNames) out.add(byName.get(n));
        return out;
    }

    /** The merged inventory-level variables of a host (see the class comment); no magic variables. */
    public Map<String, Object> hostVars(String host) {
        return requireHost(host).vars();
    }

    /** Ansible's magic {@code groups}: every group name → the names of all its hosts (see {@link #hostsOf}). */
    public Map<String, List<String>> groupsMap() {
        return groupsMap;
    }

    /**
     * The magic variables of a host: {@code inventory_hostname}, {@code inventory_hostname_short},
     * {@code group_names}, {@code groups}, {@code hostvars} (host name → that host's
     * {@link #templateVars}, computed lazily), {@code inventory_file} and {@code inventory_dir}.
     */
    public Map<String, Object> magicVars(String host) {
        Host h = requireHost(host);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inventory_hostname", h.name());
        m.put("inventory_hostname_short", h.shortName());
        m.put("group_names", h.groupNames());
        m.put("groups", groupsMap());
        m.put("hostvars", new HostVarsMap(this));
        String file = hostSources.getOrDefault(host, source.toString());
        m.put("inventory_file", file);
        if (file.contains(",")) {
            m.put("inventory_dir", null);
        } else {
            Path dir = Path.of(file).getParent();
            m.put("inventory_dir", dir == null ? "" : dir.toString());
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * What a template sees from the inventory: {@link #hostVars}, {@code ansible_host} defaulting to
     * the host name, and the {@link #magicVars} on top (they cannot be overridden, as in Ansible).
     */
    public Map<String, Object> templateVars(String host) {
        Map<String, Object> m = new LinkedHashMap<>(hostVars(host));
        m.putIfAbsent("ansible_host", host);
        m.putAll(magicVars(host));
        return Collections.unmodifiableMap(m);
    }
}
