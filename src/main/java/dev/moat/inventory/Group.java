package dev.moat.inventory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.moat.yaml.Mark;

/**
 * One inventory group. {@code all} and {@code ungrouped} always exist, as in Ansible.
 *
 * @param name the group name
 * @param vars the group's own variables: those of the inventory file, then its
 *     {@code group_vars/NAME} files on top (what {@code ansible-inventory --graph --vars} shows,
 *     {@code ansible_group_priority} aside); hosts see them merged by {@link Inventory#hostVars(String)}
 * @param children the child groups, in file order
 * @param hosts the hosts listed directly in this group, in file order (see {@link Inventory#hostsOf(String)} for all of them)
 * @param depth the longest path from {@code all} (0 for {@code all}, 1 for its children, ...)
 * @param priority {@code ansible_group_priority} (default 1): among groups of one depth, a higher priority merges later and wins
 * @param mark where the group is first named
 */
public record Group(String name, Map<String, Object> vars, List<String> children, List<String> hosts,
        int depth, int priority, Mark mark) {
    public Group {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) throw new IllegalArgumentException("empty group name");
        if (depth < 0) throw new IllegalArgumentException("negative depth");
        vars = Vars.freezeMap(vars);
        children = List.copyOf(children);
        hosts = List.copyOf(hosts);
        mark = mark == null ? Mark.NONE : mark;
    }
}
