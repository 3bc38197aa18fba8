package dev.moat.playbook;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a task inherits from the role it belongs to, as Ansible computes it along the role's
 * dependency chain: its {@code defaults} (its dependencies' and parents', then its own: the lowest
 * precedence), its {@code vars} (parents', dependencies', the role entry's {@code vars:}, then
 * {@code vars/main.yml}), and its {@code params} (the role entry's other keys, such as
 * {@code - { role: nginx, nginx_port: 8080 }}, with its parents' below them).
 *
 * @param name    the role's name as written ({@code geerlingguy.docker}, {@code ns.coll.role})
 * @param path    the role's directory
 * @param parents {@code ansible_parent_role_names}: for a role that {@code include_role} or
 *                {@code import_role} names inside another role, that role's name and its own
 *                parents, nearest first; empty for {@code roles:} entries and {@code meta}
 *                dependencies, as in Ansible
 */
public record RoleScope(String name, Path path, Map<String, Object> defaults, Map<String, Object> vars,
                        Map<String, Object> params, List<String> parents) {
    public RoleScope {
        defaults = Copies.map(defaults);
        vars = Copies.map(vars);
        params = Copies.map(params);
        parents = Copies.list(parents);
    }

    /** The role's magic variables ({@code role_path}, {@code ansible_role_name}, ...) and its params. */
    public Map<String, Object> paramsWithMagic() {
        Map<String, Object> out = new java.util.LinkedHashMap<>(params);
        String shortName = name.chars().filter(c -> c == '.').count() == 2 ? name.substring(name.lastIndexOf('.') + 1) : name;
        out.put("role_name", shortName);
        out.put("ansible_role_name", name);
        out.put("role_path", path.toString());
        if (!parents.isEmpty()) out.put("ansible_parent_role_names", parents);
        return out;
    }
}
