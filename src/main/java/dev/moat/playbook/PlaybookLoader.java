package dev.moat.playbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.moat.template.Templar;
import dev.moat.yaml.ListNode;
import dev.moat.yaml.LoadWarning;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;
import dev.moat.yaml.YamlLoader;

/**
 * Loads a playbook and validates all of it before any host is touched: the shape of every play,
 * block and task; module names (with a suggestion for the closest one); argument names, required
 * arguments, exclusions and the types of literal values against each module's spec; {@code when}
 * and {@code loop} shapes; {@code notify} targets; {@code vars_files}; and the Jinja syntax of every
 * template. The first error is thrown as a {@link YamlException} (exit 65) whose message starts
 * with {@code file:line:column: }.
 */
public final class PlaybookLoader {
    private PlaybookLoader() {}

    /** Loads {@code file}, finding roles through {@code ANSIBLE_ROLES_PATH} or Ansible's default roles path. */
    public static Playbook load(Path file, ModuleCatalog catalog) {
        return load(file, catalog, RolesPath.fromEnvironment());
    }

    /** Loads {@code file}, finding roles through {@code roles} (ansible.cfg's roles_path and collections_path). */
    public static Playbook load(Path file, ModuleCatalog catalog, RolesPath roles) {
        List<LoadWarning> warnings = new ArrayList<>();
        List<Play> plays = plays(file, catalog, roles, warnings, new ArrayList<>());
        return new Playbook(file, plays, warnings);
    }

    /** The plays of {@code file}, {@code import_playbook} entries replaced by the plays they name. */
    private static List<Play> plays(Path file, ModuleCatalog catalog, RolesPath roles, List<LoadWarning> warnings, List<Path> importing) {
        Path self = file.toAbsolutePath().normalize();
        if (importing.contains(self)) {
            throw new YamlException(new Mark(file, 1, 1), "import_playbook: this playbook imports itself (" + importing + ")");
        }
        importing.add(self);
        Node root = YamlLoader.load(file);
        if (root == null) throw new YamlException(new Mark(file, 1, 1), "the playbook is empty; expected a list of plays");
        if (!(root instanceof ListNode plays)) {
            throw new YamlException(root.mark(), "a playbook is a list of plays (each starting with '- hosts: ...'), not " + Nodes.kind(root));
        }
        Path dir = file.toAbsolutePath().getParent();
        List<Play> out = new ArrayList<>();
        for (Node n : plays.items()) {
            if (!(n instanceof MapNode m)) throw new YamlException(n == null ? root.mark() : n.mark(), "a play is a mapping, not " + Nodes.kind(n));
            String imported = m.has("import_playbook") ? "import_playbook" : m.has("ansible.builtin.import_playbook") ? "ansible.builtin.import_playbook" : null;
            if (imported != null) {
                out.addAll(importPlaybook(m, imported, dir, catalog, roles, warnings, importing));
            } else {
                out.add(play(m, dir, catalog, roles, warnings));
            }
        }
        importing.remove(self);
        return out;
    }

    /** {@code - import_playbook: other.yml}: that playbook's plays, here; its {@code when}/{@code vars} are not supported. */
    private static List<Play> importPlaybook(MapNode m, String key, Path dir, ModuleCatalog catalog, RolesPath roles,
                                             List<LoadWarning> warnings, List<Path> importing) {
        for (String k : m.entries().keySet()) {
            if (!k.equals(key) && !k.equals("name")) {
                throw new YamlException(m.keyMark(k), "'" + k + "' on import_playbook is not supported by moat (it takes the playbook's name)");
            }
        }
        String f = Nodes.string(m, key);
        if (f == null) throw new YamlException(Nodes.at(m, key), key + ": expected a playbook file name");
        if (Templar.isTemplate(f)) throw new YamlException(Nodes.at(m, key), key + ": templated playbook names are not supported ('" + f + "')");
        Path p = dir.resolve(f);
        if (!Files.isRegularFile(p)) throw new YamlException(Nodes.at(m, key), key + ": no such file " + p);
        return plays(p, catalog, roles, warnings, importing);
    }

    private static Play play(MapNode m, Path dir, ModuleCatalog catalog, RolesPath roles, List<LoadWarning> warnings) {
        for (String k : m.entries().keySet()) {
            if (Keywords.PLAY.contains(k)) continue;
            if (Keywords.UNSUPPORTED_PLAY.contains(k)) {
                throw new YamlException(m.keyMark(k), "'" + k + "' is not supported by moat");
            }
            String hint = Keywords.TASK.contains(k) || catalog.spec(k).isPresent()
                    ? " ('" + k + "' belongs to a task: put it under 'tasks:')" : Suggest.hint(k, Keywords.PLAY);
            throw new YamlException(m.keyMark(k), "unknown play keyword '" + k + "'" + hint);
        }
        String name = Nodes.string(m, "name");
        String hosts = hosts(m);
        Map<String, Object> vars = Nodes.vars(m, "vars");
        List<String> varsFiles = Nodes.strings(m, "vars_files", false);
        Map<String, Object> filesVars = varsFiles(m, dir, varsFiles);
        Boolean become = ExecutionKeys.literal(m, "become");
        String becomeUser = Nodes.string(m, "become_user");
        String strategy = strategy(m);
        String remoteUser = Nodes.string(m, "remote_user");
        List<Serial> serial = serial(m);
        Integer maxFail = maxFail(m);
        Rollback rollback = Rollback.HOST;
        if (m.has("rollback")) {
            rollback = Rollback.parse(Nodes.string(m, "rollback"));
            if (rollback == null) throw new YamlException(Nodes.at(m, "rollback"), "rollback: expected host, block or none");
        }
        List<String> tags = Nodes.strings(m, "tags", true);
        Boolean gather = Nodes.bool(m, "gather_facts");

        TaskParser parser = new TaskParser(catalog, dir, roles, warnings);
        TaskParser.Inherited top = new TaskParser.Inherited(List.of(), tags, become, becomeUser, null, null, Map.of(), null, dir,
                List.of(), Map.of()).keyed(m);
        // Ansible's order: pre_tasks, handlers flushed, roles, tasks, handlers flushed, post_tasks (flushed at the end).
        List<TaskItem> tasks = new ArrayList<>(parser.items(Nodes.list(m, "pre_tasks"), top, false));
        if (!tasks.isEmpty()) tasks.add(flush(m, "pre_tasks"));
        tasks.addAll(parser.roles.play(Nodes.list(m, "roles"), top));
        tasks.addAll(parser.items(Nodes.list(m, "tasks"), top, false));
        List<TaskItem> post = parser.items(Nodes.list(m, "post_tasks"), top, false);
        if (!post.isEmpty()) {
            tasks.add(flush(m, "post_tasks"));
            tasks.addAll(post);
        }
        List<Task> handlers = new ArrayList<>(parser.roles.handlers);
        for (TaskItem i : parser.items(Nodes.list(m, "handlers"), top, true)) handlers.add((Task) i);
        checkNotifies(parser.notifies, handlers, warnings);
        if ("free".equals(strategy)) freeWarnings(tasks, handlers, warnings);
        Map<String, Object> roleDefaults = new LinkedHashMap<>();
        Map<String, Object> roleVars = new LinkedHashMap<>();
        for (RoleScope r : parser.roles.exported) {
            roleDefaults.putAll(r.defaults());
            roleVars.putAll(r.vars());
        }
        return new Play(name, hosts, vars, varsFiles, filesVars, become, becomeUser, tasks, handlers, serial, maxFail,
                rollback, tags, m.mark(), roleDefaults, roleVars, gather == null || gather, strategy, remoteUser,
                varsPrompt(m, warnings), parser.roles.playRoleNames, new ArrayList<>(parser.roles.dependentRoleNames),
                Nodes.string(m, "fact_path"));
    }

    /**
     * {@code strategy:} {@code linear} or {@code free}. moat runs each host's tasks on their own
     * either way; the others Ansible has ({@code debug}, {@code host_pinned}) are refused by name.
     */
    private static String strategy(MapNode m) {
        String s = Nodes.string(m, "strategy");
        if (s == null) return null;
        String bare = s.startsWith("ansible.builtin.") ? s.substring("ansible.builtin.".length()) : s;
        if (bare.equals("linear") || bare.equals("free")) return bare;
        throw new YamlException(Nodes.at(m, "strategy"), "strategy: " + s + " is not supported by moat (it runs linear and free)");
    }

    /** What Ansible warns of under {@code strategy: free}, at the first task that asks for it: moat runs those tasks as it does. */
    private static void freeWarnings(List<TaskItem> items, List<Task> handlers, List<LoadWarning> warnings) {
        List<Task> all = new ArrayList<>(Play.tasksOf(items));
        all.addAll(handlers);
        all.stream().filter(t -> t.execution().runOnce() || t.execution().template("run_once") != null).findFirst()
                .ifPresent(t -> warnings.add(new LoadWarning(t.mark(), "Using run_once with the free strategy is not currently supported."
                        + " This task will still be executed for every host in the inventory list (as in Ansible)")));
        all.stream().filter(t -> t.execution().anyErrorsFatal() || t.execution().template("any_errors_fatal") != null).findFirst()
                .ifPresent(t -> warnings.add(new LoadWarning(t.mark(), "Using any_errors_fatal with the free strategy is not supported,"
                        + " as tasks are executed independently on each host (as in Ansible)")));
    }

    /** The handler flush Ansible runs between pre_tasks, roles and tasks, and post_tasks. */
    private static Task flush(MapNode m, String before) {
        Map<String, Object> args = Map.of(ModuleArgs.RAW, "flush_handlers");
        return new Task(null, Actions.META, args, List.of(), null, null, null, List.of(), List.of("always"), false, false,
                List.of(), List.of(), null, null, List.of(), Map.of(), m.keyMark(before), m.keyMark(before), Map.of(), null, null, null);
    }

    /** The keys of a {@code vars_prompt} entry. */
    private static final java.util.Set<String> PROMPT_KEYS = java.util.Set.of("name", "prompt", "default", "private", "confirm",
            "encrypt", "salt", "salt_size", "unsafe");

    /** The schemes moat hashes an answer with ({@code password_hash}'s). */
    private static final java.util.Set<String> PROMPT_ENCRYPT = java.util.Set.of("sha512_crypt", "sha256_crypt", "bcrypt");

    private static List<VarsPrompt> varsPrompt(MapNode m, List<LoadWarning> warnings) {
        List<VarsPrompt> out = new ArrayList<>();
        if (m.has("vars_prompt") && m.get("vars_prompt") != null && !(m.get("vars_prompt") instanceof ListNode)) {
            throw new YamlException(Nodes.at(m, "vars_prompt"), "vars_prompt: expected a list of {name: ..., prompt: ...}, not "
                    + Nodes.kind(m.get("vars_prompt")));
        }
        for (Node n : Nodes.list(m, "vars_prompt")) {
            if (!(n instanceof MapNode e)) throw new YamlException(n == null ? Nodes.at(m, "vars_prompt") : n.mark(),
                    "vars_prompt: each entry is a mapping with name and prompt, not " + Nodes.kind(n));
            for (String k : e.entries().keySet()) {
                if (!PROMPT_KEYS.contains(k)) warnings.add(new LoadWarning(e.keyMark(k), "vars_prompt: unknown key '" + k
                        + "' ignored, as Ansible ignores it" + Suggest.hint(k, PROMPT_KEYS)));
            }
            String name = Nodes.identifier(e, "name");
            if (name == null) throw new YamlException(e.mark(), "vars_prompt: an entry needs 'name:' (the variable to set)");
            String encrypt = Nodes.string(e, "encrypt");
            if (encrypt != null && !PROMPT_ENCRYPT.contains(encrypt)) {
                throw new YamlException(Nodes.at(e, "encrypt"), "vars_prompt: encrypt: moat hashes with " + String.join(", ",
                        new java.util.TreeSet<>(PROMPT_ENCRYPT)) + ", not '" + encrypt + "'");
            }
            Integer saltSize = null;
            if (e.get("salt_size") instanceof ScalarNode sn && sn.value() instanceof Number num) saltSize = num.intValue();
            else if (e.get("salt_size") != null) throw new YamlException(Nodes.at(e, "salt_size"), "vars_prompt: salt_size: expected a number");
            Node d = e.get("default");
            Boolean secret = Nodes.bool(e, "private");
            out.add(new VarsPrompt(name, Nodes.string(e, "prompt"), d == null ? null : d.toPlain(), secret == null || secret,
                    Boolean.TRUE.equals(Nodes.bool(e, "confirm")), encrypt, Nodes.string(e, "salt"), saltSize,
                    Boolean.TRUE.equals(Nodes.bool(e, "unsafe")), e.mark()));
        }
        return out;
    }

    private static String hosts(MapNode m) {
        if (!m.has("hosts") || m.get("hosts") == null) {
            throw new YamlException(m.has("hosts") ? m.keyMark("hosts") : m.mark(), "a play needs 'hosts:' (a group, host or pattern such as 'gpu:!staging')");
        }
        List<String> patterns = Nodes.strings(m, "hosts", false);
        return String.join(":", patterns);
    }

    private static Map<String, Object> varsFiles(MapNode m, Path dir, List<String> files) {
        Map<String, Object> out = new LinkedHashMap<>();
        Node n = m.get("vars_files");
        for (int i = 0; i < files.size(); i++) {
            Mark at = n instanceof ListNode l ? l.items().get(i).mark() : n.mark();
            String f = files.get(i);
            if (Templar.isTemplate(f)) throw new YamlException(at, "vars_files: templated paths are not supported ('" + f + "')");
            Path p = dir.resolve(f);
            if (!Files.isRegularFile(p)) throw new YamlException(at, "vars_files: " + (Files.exists(p) ? p + " is not a regular file" : "no such file " + p));
            out.putAll(readVarsFile(p));
        }
        return out;
    }

    /**
     * A vars file's variables: {@code vars_files}, a role's {@code defaults/} and {@code vars/},
     * {@code include_vars}. An empty file (or only {@code ---} and comments) has none.
     */
    public static Map<String, Object> readVarsFile(Path p) {
        Node root = YamlLoader.load(p);
        if (root == null) return new LinkedHashMap<>();
        if (!(root instanceof MapNode vars)) {
            throw new YamlException(root.mark(), "a vars file is a mapping of variables, not " + Nodes.kind(root));
        }
        return Nodes.varsOf(vars, "vars_files");
    }

    private static List<Serial> serial(MapNode m) {
        List<Serial> out = new ArrayList<>();
        Node n = m.get("serial");
        if (n == null) return out;
        List<Node> items = n instanceof ListNode l ? l.items() : List.of(n);
        for (Node i : items) {
            Object v = i instanceof ScalarNode s ? s.value() : null;
            try {
                if (v instanceof Integer k) out.add(new Serial(k, false));
                else if (v instanceof String s && s.strip().matches("\\d+%")) out.add(new Serial(Integer.parseInt(s.strip().replace("%", "")), true));
                else if (v instanceof String s && s.strip().matches("\\d+")) out.add(new Serial(Integer.parseInt(s.strip()), false));
                else throw new IllegalArgumentException("serial: expected a number of hosts (5) or a percentage (\"20%\"), or a list of them, not "
                        + (v == null ? Nodes.kind(i) : "'" + v + "'"));
            } catch (IllegalArgumentException e) {
                String msg = e.getMessage().startsWith("serial") ? e.getMessage() : "serial: " + e.getMessage();
                throw new YamlException(i == null ? m.keyMark("serial") : i.mark(), msg);
            }
        }
        return out;
    }

    private static Integer maxFail(MapNode m) {
        Node n = m.get("max_fail_percentage");
        if (n == null) return null;
        Object v = n instanceof ScalarNode s ? s.value() : null;
        if (v instanceof Number num && num.doubleValue() >= 0 && num.doubleValue() <= 100) return (int) Math.floor(num.doubleValue());
        throw new YamlException(n.mark(), "max_fail_percentage: expected a number from 0 to 100, not " + (v == null ? Nodes.kind(n) : "'" + v + "'"));
    }

    private static void checkNotifies(List<TaskParser.NotifyRef> refs, List<Task> handlers, List<LoadWarning> warnings) {
        Set<String> names = new HashSet<>();
        for (Task h : handlers) {
            if (h.name() != null) names.add(h.name());
            names.addAll(h.listen());
        }
        for (TaskParser.NotifyRef r : refs) {
            if (!names.contains(r.name()) && r.lenient()) {
                // A role is content the user did not write and Ansible loads: it fails only where the task changes something.
                warnings.add(new LoadWarning(r.mark(), "notify: no handler named '" + r.name() + "' in this play" + Suggest.hint(r.name(), names)
                        + "; a host on which this task changes something fails (as under Ansible)"));
            } else if (!names.contains(r.name())) {
                throw new YamlException(r.mark(), "notify: no handler named '" + r.name() + "' in this play"
                        + (names.isEmpty() ? " (the play has no handlers)" : Suggest.hint(r.name(), names) + " (handlers: "
                        + String.join(", ", new TreeSet<>(names)) + ")"));
            }
        }
    }
}
