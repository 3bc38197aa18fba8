package dev.moat.inventory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.moat.yaml.Mark;

/**
 * One inventory host, its variables already merged as Ansible merges inventory-level variables
 * (see {@link Inventory#hostVars(String)} for the order).
 *
 * @param name the inventory name ({@code inventory_hostname}); a range such as {@code gpu-[01:03]} is already expanded
 * @param vars the merged inventory-level variables (read-only, nested values too): exactly what
 *     {@code ansible-inventory --list} shows under {@code _meta.hostvars}, no magic variables
 * @param directGroups the groups that list this host under {@code hosts:} (file order; {@code all}
 *     when listed there, {@code ungrouped} when it belongs to no other group)
 * @param groups every group it belongs to, directly or through a parent, {@code all} included, in
 *     the order their variables are merged: by depth, then {@code ansible_group_priority}, then name
 * @param mark where the host is first named
 */
public record Host(String name, Map<String, Object> vars, List<String> directGroups, List<String> groups, Mark mark) {
    public Host {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) throw new IllegalArgumentException("empty host name");
        vars = Vars.freezeMap(vars);
        directGroups = List.copyOf(directGroups);
        groups = List.copyOf(groups);
        mark = mark == null ? Mark.NONE : mark;
    }

    /** Ansible's {@code group_names}: the groups of this host except {@code all}, sorted by name. */
    public List<String> groupNames() {
        return groups.stream().filter(g -> !g.equals("all")).sorted().toList();
    }

    /** Ansible's {@code inventory_hostname_short}: up to the first dot, unless the name is an IP address. */
    public String shortName() {
        if (Address.isIp(name)) return name;
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
