package dev.moat.playbook;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where roles are looked for, as Ansible looks: {@code roles/} beside the playbook, then
 * {@code roles_path} (ansible.cfg, or {@code ANSIBLE_ROLES_PATH}, else Ansible's default
 * {@code ~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles}), then a dependency's own
 * parent directory, then the playbook's directory itself. A role named {@code ns.coll.role} is
 * first looked for in the collections under {@code collectionsPath}
 * ({@code PATH/ansible_collections/ns/coll/roles/role}).
 *
 * @param rolesPath       the configured roles path, in order
 * @param collectionsPath the configured collections path, in order
 */
public record RolesPath(List<Path> rolesPath, List<Path> collectionsPath) {
    public RolesPath {
        rolesPath = Copies.list(rolesPath);
        collectionsPath = Copies.list(collectionsPath);
    }

    /** From {@code ANSIBLE_ROLES_PATH} and {@code ANSIBLE_COLLECTIONS_PATH}, or Ansible's defaults. */
    public static RolesPath fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static RolesPath fromEnvironment(Map<String, String> env) {
        String home = System.getProperty("user.home");
        String roles = env.get("ANSIBLE_ROLES_PATH");
        String collections = env.getOrDefault("ANSIBLE_COLLECTIONS_PATH", env.get("ANSIBLE_COLLECTIONS_PATHS"));
        return new RolesPath(
                split(roles != null ? roles : home + "/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles", home),
                split(collections != null ? collections : home + "/.ansible/collections:/usr/share/ansible/collections", home));
    }

    /** A colon-separated path list as Ansible reads one: {@code ~} expanded, empty parts skipped. */
    public static List<Path> split(String value, String home) {
        List<Path> out = new ArrayList<>();
        for (String p : value.split(File.pathSeparator)) {
            if (p.isBlank()) continue;
            String s = p.strip();
            if (s.equals("~") || s.startsWith("~/")) s = home + s.substring(1);
            out.add(Path.of(s));
        }
        return out;
    }
}
