package dev.moat.playbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.yaml.ListNode;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.Node;
import dev.moat.yaml.YamlException;
import dev.moat.yaml.YamlLoader;

/**
 * Finds a role's directory as Ansible does ({@link RolesPath}) and reads its parts: the
 * {@code defaults/}, {@code vars/}, {@code tasks/}, {@code handlers/} file ({@code main} unless
 * {@code *_from} names another, with or without {@code .yml}/{@code .yaml}/{@code .json}), and
 * {@code meta/main.yml}'s {@code dependencies}, {@code allow_duplicates} and {@code collections}.
 */
final class RoleLoader {
    /** A role's {@code meta/main.yml}: the roles it depends on (entries as written) and whether it may run twice. */
    record Meta(List<Node> dependencies, boolean allowDuplicates, List<String> collections) {}

    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private final RolesPath paths;
    private final Path playbookDir;

    RoleLoader(RolesPath paths, Path playbookDir) {
        this.paths = paths;
        this.playbookDir = playbookDir;
    }

    /** The directory of role {@code name}; {@code parentDir} is the depending role's parent directory, or null. */
    Path find(String name, Path parentDir, Mark at) {
        List<Path> searched = new ArrayList<>();
        String[] parts = name.split("\\.");
        if (parts.length == 3 && !name.contains("/")) {
            for (Path c : paths.collectionsPath()) {
                Path base = c.getFileName() != null && c.getFileName().toString().equals("ansible_collections") ? c : c.resolve("ansible_collections");
                Path p = base.resolve(parts[0]).resolve(parts[1]).resolve("roles").resolve(parts[2]);
                if (Files.isDirectory(p)) return p.toAbsolutePath().normalize();
                searched.add(base);
            }
        }
        List<Path> search = new ArrayList<>();
        search.add(playbookDir.resolve("roles"));
        search.addAll(paths.rolesPath());
        if (parentDir != null) search.add(parentDir);
        search.add(playbookDir);
        for (Path dir : search) {
            Path p = dir.resolve(name);
            if (Files.isDirectory(p)) return p.toAbsolutePath().normalize();
            searched.add(dir);
        }
        Path p = Path.of(name);
        if (p.isAbsolute() && Files.isDirectory(p)) return p.normalize();
        List<String> shown = new ArrayList<>();
        for (Path s : searched) shown.add(s.toString());
        throw new YamlException(at, "the role '" + name + "' was not found in " + String.join(":", shown)
                + " (set roles_path in ansible.cfg or ANSIBLE_ROLES_PATH)");
    }

    /** {@code role/sub/from[.yml|.yaml|.json]}, or null when the role has none; a named file that is missing is an error. */
    Path file(Path role, String sub, String from, boolean required, Mark at) {
        String name = from == null ? "main" : from;
        for (String ext : EXTENSIONS) {
            Path p = role.resolve(sub).resolve(name + ext);
            if (Files.isRegularFile(p)) return p;
        }
        if (required || from != null) {
            throw new YamlException(at, "role " + role.getFileName() + ": no file " + sub + "/" + name + " (.yml, .yaml) in " + role);
        }
        return null;
    }

    /** A role's defaults or vars file as variables; empty when it has none. */
    Map<String, Object> vars(Path role, String sub, String from, Mark at) {
        Path p = file(role, sub, from, false, at);
        return p == null ? new LinkedHashMap<>() : PlaybookLoader.readVarsFile(p);
    }

    /** A role's tasks or handlers file as the list of its entries; empty when the role has none. */
    List<Node> entries(Path role, String sub, String from, Mark at) {
        Path p = file(role, sub, from, false, at);
        if (p == null) return List.of();
        Node root = YamlLoader.load(p);
        if (root == null) return List.of();
        if (!(root instanceof ListNode l)) throw new YamlException(root.mark(), "a " + sub + " file is a list of tasks, not " + Nodes.kind(root));
        return l.items();
    }

    Meta meta(Path role, Mark at) {
        Path p = file(role, "meta", null, false, at);
        if (p == null) return new Meta(List.of(), false, null);
        Node root = YamlLoader.load(p);
        if (root == null) return new Meta(List.of(), false, null);
        if (!(root instanceof MapNode m)) throw new YamlException(root.mark(), "meta/main.yml is a mapping, not " + Nodes.kind(root));
        Boolean dup = m.has("allow_duplicates") ? Nodes.bool(m, "allow_duplicates") : null;
        return new Meta(Nodes.list(m, "dependencies"), dup != null && dup, ExecutionKeys.collections(m));
    }
}
