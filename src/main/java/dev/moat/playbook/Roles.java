package dev.moat.playbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.template.Templar;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;

/**
 * A play's roles, expanded when the playbook loads: each entry of {@code roles:}, each
 * {@code import_role} and each {@code include_role} becomes a {@link Block} of the role's tasks,
 * preceded by its {@code meta/main.yml} dependencies (each role with the same parameters runs once
 * per play unless it says {@code allow_duplicates: true}). The role's handlers join the play's;
 * its defaults and vars follow Ansible's dependency chain ({@link RoleScope}).
 *
 * <pre>
 * roles:
 *   - geerlingguy.docker
 *   - { role: geerlingguy.nginx, nginx_port: 8080, when: "'web' in group_names", tags: [web] }
 * </pre>
 */
final class Roles {
    /** What a role entry says besides the role: its keywords (for the tasks) and params (for the variables). */
    private record Entry(String name, Map<String, Object> params, Map<String, Object> vars, MapNode keywords, Mark mark,
                         List<String> parents) {
        Entry(String name, Map<String, Object> params, Map<String, Object> vars, MapNode keywords, Mark mark) {
            this(name, params, vars, keywords, mark, List.of());
        }
    }

    /** {@code ansible_parent_role_names} of a role that {@code import_role}/{@code include_role} names from inside role {@code in}. */
    private static List<String> parents(RoleScope in) {
        if (in == null) return List.of();
        List<String> out = new ArrayList<>();
        out.add(in.name());
        out.addAll(in.parents());
        return out;
    }

    /** One loaded role: its blocks (dependencies first), its full defaults and vars, and its dependencies' names. */
    private record Loaded(List<TaskItem> items, RoleScope scope, List<String> dependencies) {}

    /** Keywords of a role entry; every other key is a role parameter. */
    private static final Set<String> ENTRY_KEYWORDS = Set.of("role", "name", "when", "tags", "vars", "become", "become_user",
            "no_log", "ignore_errors", "environment", "check_mode", "diff", "any_errors_fatal", "run_once", "throttle",
            "become_method", "become_flags", "collections", "remote_user");

    private final TaskParser parser;
    private final RoleLoader loader;
    private final Set<String> ran = new HashSet<>();
    /** The roles whose defaults and vars the whole play sees: {@code roles:}, {@code import_role}, public includes. */
    final List<RoleScope> exported = new ArrayList<>();
    final List<Task> handlers = new ArrayList<>();
    /** {@code ansible_play_role_names}: the roles Ansible puts in {@code play.roles}, as written. */
    final List<String> playRoleNames = new ArrayList<>();
    /** {@code ansible_dependent_role_names}: their {@code meta/main.yml} dependencies, recursively. */
    final Set<String> dependentRoleNames = new java.util.LinkedHashSet<>();

    Roles(TaskParser parser, RoleLoader loader) {
        this.parser = parser;
        this.loader = loader;
    }

    /** The play's {@code roles:}: one block per role, dependencies first. */
    List<TaskItem> play(List<Node> entries, TaskParser.Inherited in) {
        List<TaskItem> out = new ArrayList<>();
        for (Node n : entries) {
            Entry e = entry(n);
            Loaded l = load(e, in, From.MAIN, List.of(), null, true);
            playRoleNames.add(e.name());
            if (l == null) continue;
            dependentRoleNames.addAll(l.dependencies());
            out.addAll(l.items());
            exported.add(l.scope());
        }
        return out;
    }

    /** {@code import_role}: the role's tasks inlined as a block, its variables shown to the whole play. */
    TaskItem importRole(MapNode m, String key, TaskParser.Inherited in) {
        Includes.checkKeys(m, key, Keywords.IMPORT, "import_role");
        RoleArgs a = roleArgs(m, key);
        if (Templar.isTemplate(a.name())) throw new YamlException(Nodes.at(m, key), key + ": the role name '" + a.name() + "' is a template; use include_role");
        TaskParser.Inherited inner = in.with(Nodes.conditions(m, "when"), Nodes.strings(m, "tags", true), Nodes.bool(m, "become"),
                Nodes.string(m, "become_user"), Nodes.bool(m, "no_log"), Nodes.bool(m, "ignore_errors"), Map.of());
        Loaded l = load(new Entry(a.name(), Nodes.vars(m, "vars"), Map.of(), null, m.mark(), parents(in.role())), inner, a.from(), List.of(), null, !a.allowDuplicates());
        if (l == null) return new Block(Nodes.string(m, "name"), List.of(), List.of(), List.of(), List.of(), List.of(), null, null,
                false, false, Map.of(), null, m.mark(), in.role());
        if (a.isPublic() == null || a.isPublic()) exported.add(l.scope());
        // Ansible adds every statically imported role to play.roles, public or not.
        playRoleNames.add(a.name());
        dependentRoleNames.addAll(l.dependencies());
        return new Block(Nodes.string(m, "name"), l.items(), List.of(), List.of(), Nodes.conditions(m, "when"),
                Nodes.strings(m, "tags", true), Nodes.bool(m, "become"), Nodes.string(m, "become_user"),
                Boolean.TRUE.equals(Nodes.bool(m, "no_log")), Boolean.TRUE.equals(Nodes.bool(m, "ignore_errors")), Map.of(), null,
                m.mark(), in.role());
    }

    /**
     * {@code include_role}: an {@link Include} of the role's block, decided when a host reaches it.
     * Its variables stay with its tasks unless {@code public: true}, which moat shows to the whole
     * play (Ansible: to the tasks after it).
     */
    TaskItem includeRole(MapNode m, String key, TaskParser.Inherited in) {
        Includes.checkKeys(m, key, Keywords.INCLUDE, "include_role");
        RoleArgs a = roleArgs(m, key);
        Node v = m.get(key);
        MapNode apply = v instanceof MapNode mn ? Nodes.map(mn, "apply") : Nodes.map(m, "apply");
        TaskParser.Inherited inner = Includes.applied(in, apply, Map.of());
        Map<String, Object> params = Nodes.vars(m, "vars");
        if (Templar.isTemplate(a.name())) {
            Include.Later later = rendered -> load(new Entry(rendered, params, Map.of(), null, m.mark(), parents(in.role())), inner, a.from(), List.of(),
                    null, false).items();
            return Includes.include(m, a.name(), in, null, later);
        }
        Loaded l;
        parser.dynamic++;
        try {
            l = load(new Entry(a.name(), params, Map.of(), null, m.mark(), parents(in.role())), inner, a.from(), List.of(), null, !a.allowDuplicates());
        } finally {
            parser.dynamic--;
        }
        if (l == null) return new Block(Nodes.string(m, "name"), List.of(), List.of(), List.of(), List.of(), List.of(), null, null,
                false, false, Map.of(), null, m.mark(), in.role());
        // Ansible adds a public include_role to play.roles (ansible_play_role_names) only once it ran; moat does not (yet).
        if (Boolean.TRUE.equals(a.isPublic())) exported.add(l.scope());
        return Includes.include(m, a.name(), in, l.items(), null);
    }

    /** Which files of a role to read: {@code tasks_from}, {@code vars_from}, ... ({@code null}: main). */
    private record From(String tasks, String vars, String defaults, String handlers) {
        static final From MAIN = new From(null, null, null, null);
    }

    private record RoleArgs(String name, From from, Boolean isPublic, boolean allowDuplicates) {}

    private static RoleArgs roleArgs(MapNode m, String key) {
        if (!(m.get(key) instanceof MapNode a)) throw new YamlException(Nodes.at(m, key), key + ": expected a mapping with 'name:' (the role)");
        Set<String> known = Set.of("name", "tasks_from", "vars_from", "defaults_from", "handlers_from", "public", "allow_duplicates",
                "apply", "rolespec_validate");
        for (String k : a.entries().keySet()) {
            if (!known.contains(k)) {
                throw new YamlException(a.keyMark(k), key + ": unknown argument '" + k + "'" + Suggest.hint(k, known)
                        + " (valid: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
        String name = Nodes.string(a, "name");
        if (name == null) throw new YamlException(Nodes.at(m, key), key + ": missing required argument 'name' (the role)");
        Boolean dup = Nodes.bool(a, "allow_duplicates");
        return new RoleArgs(name, new From(Nodes.string(a, "tasks_from"), Nodes.string(a, "vars_from"),
                Nodes.string(a, "defaults_from"), Nodes.string(a, "handlers_from")), Nodes.bool(a, "public"), dup == null || dup);
    }

    private Entry entry(Node n) {
        if (n instanceof ScalarNode s && s.value() instanceof String name && !name.isBlank()) {
            Nodes.checkTemplate(s, "role");
            return new Entry(name.strip(), Map.of(), Map.of(), null, s.mark());
        }
        if (!(n instanceof MapNode m)) {
            throw new YamlException(n == null ? Mark.NONE : n.mark(), "a role is a name or a mapping with 'role:', not " + Nodes.kind(n));
        }
        String key = m.has("role") ? "role" : "name";
        String name = Nodes.string(m, key);
        if (name == null) throw new YamlException(m.mark(), "a role entry needs 'role:' (the role's name)");
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : m.entries().entrySet()) {
            String k = e.getKey();
            if (ENTRY_KEYWORDS.contains(k)) continue;
            if (Keywords.UNSUPPORTED_TASK.contains(k)) throw new YamlException(m.keyMark(k), "'" + k + "' is not supported by moat");
            if (!Nodes.IDENTIFIER.matcher(k).matches()) throw new YamlException(m.keyMark(k), "role parameter '" + k + "' is not a valid variable name");
            Nodes.checkTemplates(e.getValue(), k);
            params.put(k, e.getValue() == null ? null : e.getValue().toPlain());
        }
        return new Entry(name, params, Nodes.vars(m, "vars"), m, m.mark());
    }

    /**
     * Loads a role and, first, its dependencies; null when it already ran in this play with the same
     * parameters and does not allow duplicates. {@code chain} holds the roles that pulled it in,
     * outermost first.
     */
    private Loaded load(Entry e, TaskParser.Inherited in, From from, List<RoleScope> chain, Path parentDir, boolean dedupe) {
        if (chain.size() > 50) throw new YamlException(e.mark(), "role dependencies nest more than 50 deep (a cycle?) at '" + e.name() + "'");
        Path dir = loader.find(e.name(), parentDir, e.mark());
        RoleLoader.Meta meta = loader.meta(dir, e.mark());
        String id = dir + " " + e.params() + " " + e.vars() + " " + from;
        if (dedupe && !meta.allowDuplicates() && !ran.add(id)) return null;
        MapNode k = e.keywords();
        TaskParser.Inherited here = k == null ? in : in.with(Nodes.conditions(k, "when"), Nodes.strings(k, "tags", true),
                ExecutionKeys.literal(k, "become"), Nodes.string(k, "become_user"), ExecutionKeys.literal(k, "no_log"),
                ExecutionKeys.literal(k, "ignore_errors"), Map.of()).keyed(k).withLogin(k);
        Map<String, Object> ownDefaults = loader.vars(dir, "defaults", from.defaults(), e.mark());
        Map<String, Object> ownVars = TaskParser.overlay(e.vars(), loader.vars(dir, "vars", from.vars(), e.mark()));
        List<String> parents = e.parents();
        // The scope the dependencies see: this role as their parent.
        Map<String, Object> params = new LinkedHashMap<>(chain.isEmpty() ? Map.of() : chain.get(chain.size() - 1).params());
        params.putAll(e.params());
        RoleScope provisional = new RoleScope(e.name(), dir, ownDefaults, ownVars, params, parents);
        List<RoleScope> depChain = new ArrayList<>(chain);
        depChain.add(provisional);
        List<TaskItem> items = new ArrayList<>();
        Map<String, Object> depDefaults = new LinkedHashMap<>();
        Map<String, Object> depVars = new LinkedHashMap<>();
        List<String> depNames = new ArrayList<>();
        for (Node d : meta.dependencies()) {
            Entry de = entry(d);
            Loaded dep = load(de, here, From.MAIN, depChain, dir.getParent(), true);
            depNames.add(de.name());
            if (dep == null) continue;
            depNames.addAll(dep.dependencies());
            items.addAll(dep.items());
            depDefaults.putAll(dep.scope().defaults());
            depVars.putAll(dep.scope().vars());
        }
        Map<String, Object> defaults = new LinkedHashMap<>(depDefaults);
        Map<String, Object> vars = new LinkedHashMap<>();
        for (RoleScope parent : chain) {
            defaults.putAll(parent.defaults());
            vars.putAll(parent.vars());
        }
        defaults.putAll(ownDefaults);
        vars.putAll(depVars);
        vars.putAll(ownVars);
        RoleScope scope = new RoleScope(e.name(), dir, defaults, vars, params, parents);
        // meta/main.yml's collections: the role's short module names resolve through them.
        TaskParser.Inherited own = meta.collections() == null ? here : here.withCollections(meta.collections());
        TaskParser.Inherited inner = own.in(scope, dir.resolve("tasks"));
        List<TaskItem> tasks = parser.items(loader.entries(dir, "tasks", from.tasks(), e.mark()), inner, false);
        for (TaskItem h : parser.items(loader.entries(dir, "handlers", from.handlers(), e.mark()), own.in(scope, dir.resolve("handlers")), true)) {
            handlers.add((Task) h);
        }
        List<String> when = k == null ? List.of() : Nodes.conditions(k, "when");
        List<String> tags = k == null ? List.of() : Nodes.strings(k, "tags", true);
        items.add(new Block("role " + e.name(), tasks, List.of(), List.of(), when, tags, null, null, false, false, Map.of(), null,
                e.mark(), scope));
        return new Loaded(items, scope, depNames);
    }
}
