package dev.moat.playbook;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

/** Reads a play's task lists (tasks, blocks, handlers), applying inherited keywords as Ansible does. */
final class TaskParser {
    /**
     * What a block (or an import, include or role) passes down to the tasks inside it; {@code role}
     * is the role they belong to (null outside roles), {@code dir} the directory relative
     * {@code import_tasks}/{@code include_tasks} names resolve against first; {@code env} the
     * {@code environment:} layers, outermost first; {@code keys} the innermost value said of each
     * boolean keyword of {@link ExecutionKeys#FLAGS} (a Boolean, or a template), {@code notify},
     * {@code collections} and {@code throttle}.
     */
    record Inherited(List<String> when, List<String> tags, Boolean become, String becomeUser, Boolean noLog,
                     Boolean ignoreErrors, Map<String, Object> vars, RoleScope role, Path dir, List<Object> env,
                     Map<String, Object> keys) {
        Inherited {
            env = Copies.list(env);
            keys = Copies.map(keys);
        }

        /** These, with a block's (or an import's) own keywords added. */
        Inherited with(List<String> when2, List<String> tags2, Boolean become2, String becomeUser2, Boolean noLog2,
                       Boolean ignore2, Map<String, Object> vars2) {
            Map<String, Object> k = new LinkedHashMap<>(keys);
            if (become2 != null) k.put("become", become2);
            if (noLog2 != null) k.put("no_log", noLog2);
            if (ignore2 != null) k.put("ignore_errors", ignore2);
            return new Inherited(concat(when, when2), union(tags, tags2), become2 != null ? become2 : become,
                    becomeUser2 != null ? becomeUser2 : becomeUser, noLog2 != null ? noLog2 : noLog,
                    ignore2 != null ? ignore2 : ignoreErrors, overlay(vars, vars2), role, dir, env, k);
        }

        Inherited in(RoleScope role2, Path dir2) {
            return new Inherited(when, tags, become, becomeUser, noLog, ignoreErrors, vars, role2, dir2, env, keys);
        }

        /**
         * These, with what {@code m} (a play, role entry or block) says of how its tasks run: its
         * boolean keywords (literal or templated), {@code environment} (added as the innermost
         * layer), {@code notify}, {@code collections}, {@code throttle}; {@code become_method} checked.
         */
        Inherited keyed(MapNode m) {
            ExecutionKeys.checkBecome(m);
            Map<String, Object> k = new LinkedHashMap<>(keys);
            for (String f : ExecutionKeys.FLAGS) {
                Object v = ExecutionKeys.flag(m, f);
                if (v != null) k.put(f, v);
            }
            if (m.has("notify")) k.put("notify", Nodes.strings(m, "notify", false));
            List<String> collections = ExecutionKeys.collections(m);
            if (collections != null) k.put("collections", collections);
            Integer throttle = ExecutionKeys.throttle(m);
            if (throttle != null) k.put("throttle", throttle);
            String delegate = ExecutionKeys.delegateTo(m);
            if (delegate != null) k.put("delegate_to", delegate);
            if (m.has("delegate_facts")) k.put("delegate_facts", Nodes.bool(m, "delegate_facts"));
            List<Object> env2 = new ArrayList<>(env);
            List<Object> own = ExecutionKeys.environment(m);
            if (own != null) env2.addAll(own);
            return new Inherited(when, tags, become, becomeUser, noLog, ignoreErrors, vars, role, dir, env2, k);
        }

        /**
         * These, with {@code m}'s {@code remote_user} (a block's or a role entry's; a play's is the
         * play's own, see {@link Play#remoteUser}): the login user of the tasks inside, the innermost said.
         */
        Inherited withLogin(MapNode m) {
            String user = ExecutionKeys.remoteUser(m);
            if (user == null) return this;
            Map<String, Object> k = new LinkedHashMap<>(keys);
            k.put("remote_user", user);
            return new Inherited(when, tags, become, becomeUser, noLog, ignoreErrors, vars, role, dir, env, k);
        }

        /** These, with short module names resolving through {@code collections} (a role's meta/main.yml). */
        Inherited withCollections(List<String> collections) {
            Map<String, Object> k = new LinkedHashMap<>(keys);
            k.put("collections", collections);
            return new Inherited(when, tags, become, becomeUser, noLog, ignoreErrors, vars, role, dir, env, k);
        }

        /** The collections short module names resolve through, innermost first said. */
        @SuppressWarnings("unchecked")
        List<String> collections() {
            return (List<String>) keys.getOrDefault("collections", List.of());
        }
    }

    /**
     * A {@code notify:} target, checked against the play's handlers once they are read; in a
     * dynamic include ({@code dynamic}), where Ansible looks only when a host notifies it, a
     * missing handler is a warning at load and an error on the host that notifies it.
     */
    /** A {@code notify:} name; {@code lenient}: in a dynamic include or a role, checked when it runs, as Ansible does. */
    record NotifyRef(String name, Mark mark, boolean lenient) {}

    /** How many dynamic includes enclose what is being read now. */
    int dynamic;

    private final ModuleCatalog catalog;
    private final ModuleNames names;
    final List<NotifyRef> notifies = new ArrayList<>();
    /** What loading warns about: a decimal mode, a task naming a module moat lacks ("dnf is not supported by moat ..."). */
    final List<LoadWarning> warnings;
    final Path playbookDir;
    final Roles roles;

    TaskParser(ModuleCatalog catalog, Path playbookDir, RolesPath rolesPath, List<LoadWarning> warnings) {
        this.catalog = catalog;
        this.names = new ModuleNames(catalog);
        this.playbookDir = playbookDir;
        this.warnings = warnings;
        this.roles = new Roles(this, new RoleLoader(rolesPath, playbookDir));
    }

    /** {@link #items}, read as the body of a dynamic include. */
    List<TaskItem> dynamicItems(List<Node> nodes, Inherited in) {
        dynamic++;
        try {
            return items(nodes, in, false);
        } finally {
            dynamic--;
        }
    }

    List<TaskItem> items(List<Node> nodes, Inherited in, boolean handlers) {
        List<TaskItem> out = new ArrayList<>();
        for (Node n : nodes) {
            if (!(n instanceof MapNode m)) {
                throw new YamlException(n == null ? Mark.NONE : n.mark(), "a task is a mapping (name, a module, keywords), not " + Nodes.kind(n));
            }
            if (m.has("block")) {
                if (handlers) throw new YamlException(m.keyMark("block"), "blocks are not supported among handlers");
                out.add(block(m, in));
            } else {
                out.add(entry(m, in, handlers));
            }
        }
        return out;
    }

    private Block block(MapNode m, Inherited in) {
        for (String k : m.entries().keySet()) {
            if (!Keywords.BLOCK.contains(k)) {
                throw new YamlException(m.keyMark(k), "'" + k + "' is not allowed on a block" + Suggest.hint(k, Keywords.BLOCK)
                        + " (a block takes: " + String.join(", ", new TreeSet<>(Keywords.BLOCK)) + ")");
            }
        }
        String name = Nodes.string(m, "name");
        List<String> when = Nodes.conditions(m, "when");
        List<String> tags = Nodes.strings(m, "tags", true);
        Boolean become = ExecutionKeys.literal(m, "become");
        String becomeUser = Nodes.string(m, "become_user");
        Boolean noLog = ExecutionKeys.literal(m, "no_log");
        Boolean ignore = ExecutionKeys.literal(m, "ignore_errors");
        Map<String, Object> vars = Nodes.vars(m, "vars");
        Rollback rollback = null;
        if (m.has("rollback")) {
            rollback = Rollback.parse(Nodes.string(m, "rollback"));
            if (rollback == null) throw new YamlException(Nodes.at(m, "rollback"), "rollback: expected host, block or none");
        }
        if (m.get("block") == null || Nodes.list(m, "block").isEmpty()) {
            throw new YamlException(Nodes.at(m, "block"), "block: expected a non-empty list of tasks");
        }
        Inherited inner = in.with(when, tags, become, becomeUser, noLog, ignore, vars).keyed(m).withLogin(m);
        if (m.has("notify")) notifyRefs(m, in.role() != null);
        List<TaskItem> body = items(Nodes.list(m, "block"), inner, false);
        List<TaskItem> rescue = items(Nodes.list(m, "rescue"), inner, false);
        List<TaskItem> always = items(Nodes.list(m, "always"), inner, false);
        return new Block(name, body, rescue, always, when, tags, become, becomeUser, noLog != null && noLog,
                ignore != null && ignore, vars, rollback, m.mark(), in.role());
    }

    /** A task, an action moat runs itself, an import (inlined as a block) or a dynamic include. */
    private TaskItem entry(MapNode m0, Inherited in, boolean handler) {
        MapNode m = ActionKey.rewrite(m0);
        String key = null;
        ModuleNames.Resolved action = null;
        String unknown = null;
        for (String k : m.entries().keySet()) {
            if (Keywords.TASK.contains(k) || Keywords.WITH_LOOKUP.matcher(k).matches()) continue;
            if (Keywords.UNSUPPORTED_TASK.contains(k)) {
                throw new YamlException(m.keyMark(k), "'" + k + "' is not supported by moat");
            }
            ModuleNames.Resolved r = names.resolve(k, in.collections());
            if (r == null) {
                if (unknown == null) unknown = k;
            } else if (action != null) {
                throw new YamlException(m.keyMark(k), "a task has one module; this one has '" + key + "' and '" + k + "'");
            } else {
                action = r;
                key = k;
            }
        }
        if (unknown != null) {
            if (action != null) {
                throw new YamlException(m.keyMark(unknown), "unknown task keyword '" + unknown + "'"
                        + Suggest.hint(unknown, Keywords.TASK) + " (the module is '" + key + "')");
            }
            String guess = names.suggest(unknown);
            String what = guess != null && Keywords.TASK.contains(guess) ? "unknown task keyword or module" : "unknown module";
            throw new YamlException(m.keyMark(unknown), what + " '" + unknown + "'"
                    + (guess != null ? "; did you mean '" + guess + "'?" : "; moat's modules: " + String.join(", ", new TreeSet<>(catalog.names()))
                    + " (and the modules Ansible ships, which load and fail only on a host that reaches them)"));
        }
        if (action == null) {
            String name = Nodes.string(m, "name");
            throw new YamlException(m.mark(), (name != null ? "task '" + name + "'" : "this task") + " has no module; moat's modules: "
                    + String.join(", ", new TreeSet<>(catalog.names())));
        }
        switch (action.kind()) {
            case IMPORT_TASKS: return Includes.importTasks(this, m, key, in, handler);
            case INCLUDE_TASKS: return Includes.includeTasks(this, m, key, in, handler);
            case IMPORT_ROLE: return roles.importRole(m, key, in);
            case INCLUDE_ROLE: return roles.includeRole(m, key, in);
            default: return task(m, in, handler, names.qualified(key, in.collections()), key, action);
        }
    }

    private Task task(MapNode m, Inherited in, boolean handler, String qualified, String moduleKey, ModuleNames.Resolved action) {
        String name = Nodes.string(m, "name");
        String module = action.name();
        ModuleArgs args;
        if (action.kind() == ModuleNames.Kind.MODULE && qualified.equals("community.general.htpasswd")) {
            args = CommunityHtpasswd.read(m, moduleKey, catalog.spec(module).get());
        } else if (action.kind() == ModuleNames.Kind.MODULE) {
            args = ModuleArgs.read(m, moduleKey, module, catalog.spec(module).get());
        } else if (action.kind() == ModuleNames.Kind.ACTION) {
            args = ActionArgs.read(m, moduleKey, module);
        } else {
            args = ModuleArgs.raw(m, moduleKey);
            warnings.add(new LoadWarning(m.keyMark(moduleKey), moduleKey + " is not supported by moat; a host that reaches this task fails"));
        }
        if (!handler && m.has("listen")) throw new YamlException(m.keyMark("listen"), "listen: only handlers listen");
        warnings.addAll(args.warnings);

        List<String> when = concat(in.when(), Nodes.conditions(m, "when"));
        Object loop = loop(m);
        String lookup = withLookup(m, loop != null);
        if (lookup != null) loop = m.get("with_" + lookup) == null ? List.of() : m.get("with_" + lookup).toPlain();
        LoopControl lc = loopControl(m, loop != null);
        String register = Nodes.identifier(m, "register");
        List<String> notify = notifyRefs(m, in.role() != null);
        if (!m.has("notify") && in.keys().get("notify") instanceof List<?> inherited) {
            notify = inherited.stream().map(String::valueOf).toList();
        }
        int[] async = ExecutionKeys.async(m);
        List<String> tags = union(in.tags(), Nodes.strings(m, "tags", true));
        Inherited own = in.keyed(m).withLogin(m);
        String remoteUser = (String) own.keys().get("remote_user");
        Boolean noLog = own.keys().get("no_log") instanceof Boolean b ? b : null;
        Boolean ignore = own.keys().get("ignore_errors") instanceof Boolean b ? b : null;
        Boolean become = own.keys().get("become") instanceof Boolean b ? b : null;
        Boolean checkMode = own.keys().get("check_mode") instanceof Boolean b ? b : null;
        String becomeUser = Nodes.string(m, "become_user");
        List<String> changedWhen = Nodes.conditions(m, "changed_when");
        List<String> failedWhen = Nodes.conditions(m, "failed_when");
        List<String> listen = Nodes.strings(m, "listen", false);
        Map<String, Object> vars = overlay(in.vars(), Nodes.vars(m, "vars"));
        return new Task(name, module, args.args, when, loop, lc, register, notify, tags, noLog != null && noLog,
                ignore != null && ignore, changedWhen, failedWhen, become, becomeUser != null ? becomeUser : in.becomeUser(),
                listen, vars, m.mark(), m.keyMark(moduleKey), args.marks, checkMode, lookup, in.role(),
                execution(own, async, remoteUser), PollingKeys.read(m));
    }

    /** How a task runs, from what it and its play, roles and blocks say ({@code own}: the task's keywords added). */
    private static Execution execution(Inherited own, int[] async, String remoteUser) {
        Map<String, String> templated = new LinkedHashMap<>();
        own.keys().forEach((k, v) -> {
            if (ExecutionKeys.FLAGS.contains(k) && v instanceof String template) templated.put(k, template);
        });
        Map<String, Object> k = own.keys();
        return new Execution(own.env(), templated, k.get("diff") instanceof Boolean b ? b : null,
                Boolean.TRUE.equals(k.get("run_once")), Boolean.TRUE.equals(k.get("any_errors_fatal")),
                k.get("throttle") instanceof Integer t ? t : 0, (String) k.get("delegate_to"),
                Boolean.TRUE.equals(k.get("delegate_facts")), async == null ? 0 : async[0],
                async == null ? Execution.DEFAULT_POLL : async[1], remoteUser);
    }

    /** The {@code notify:} of a task or block, each name kept to be checked against the play's handlers. */
    private List<String> notifyRefs(MapNode m, boolean inRole) {
        List<String> notify = Nodes.strings(m, "notify", false);
        for (int i = 0; i < notify.size(); i++) {
            Node n = m.get("notify");
            Mark at = n instanceof ListNode l ? l.items().get(i).mark() : n.mark();
            if (!Templar.isTemplate(notify.get(i))) notifies.add(new NotifyRef(notify.get(i), at, dynamic > 0 || inRole));
        }
        return notify;
    }

    /**
     * The lookup of a {@code with_<lookup>:} loop ({@code with_items} is {@code items}), or null;
     * its value is the loop's terms, rendered and passed through the lookup when a host runs it.
     */
    static String withLookup(MapNode m, boolean hasLoop) {
        String found = null;
        for (String k : m.entries().keySet()) {
            if (!Keywords.WITH_LOOKUP.matcher(k).matches()) continue;
            if (found != null || hasLoop) {
                throw new YamlException(m.keyMark(k), "a task has one loop; this one has '" + (found != null ? "with_" + found : "loop") + "' and '" + k + "'");
            }
            found = k.substring("with_".length());
            Nodes.checkTemplates(m.get(k), k);
        }
        return found;
    }

    static Object loop(MapNode m) {
        if (!m.has("loop")) return null;
        Node n = m.get("loop");
        if (n instanceof ListNode) {
            Nodes.checkTemplates(n, "loop");
            return n.toPlain();
        }
        if (n instanceof ScalarNode s && s.value() instanceof String text && Templar.isTemplate(text)) {
            Nodes.checkTemplate(n, "loop");
            return text;
        }
        String hint = n instanceof MapNode ? " (to loop over a mapping, write \"{{ m | dict2items }}\")"
                : n instanceof ScalarNode s && s.value() instanceof String text ? " (did you mean \"{{ " + text.strip() + " }}\"?)" : "";
        throw new YamlException(Nodes.at(m, "loop"), "loop: expected a list, or a template that gives one such as \"{{ items }}\", not "
                + Nodes.kind(n) + hint);
    }

    static LoopControl loopControl(MapNode m, boolean hasLoop) {
        MapNode lc = Nodes.map(m, "loop_control");
        if (lc == null) return LoopControl.DEFAULT;
        if (!hasLoop) throw new YamlException(m.keyMark("loop_control"), "loop_control: the task has no loop");
        for (String k : lc.entries().keySet()) {
            if (!LoopControl.KEYS.contains(k)) {
                throw new YamlException(lc.keyMark(k), "loop_control: unknown key '" + k + "'" + Suggest.hint(k, LoopControl.KEYS)
                        + " (moat reads " + String.join(", ", new TreeSet<>(LoopControl.KEYS)) + ")");
            }
        }
        Object pause = lc.get("pause") == null ? null : lc.get("pause").toPlain();
        if (pause != null && !(pause instanceof Number) && !(pause instanceof String s && (Templar.isTemplate(s) || s.strip().matches("\\d+(\\.\\d*)?")))) {
            throw new YamlException(Nodes.at(lc, "pause"), "loop_control: pause: expected a number of seconds, not " + Nodes.kind(lc.get("pause")));
        }
        Boolean extended = Nodes.bool(lc, "extended");
        Boolean allItems = Nodes.bool(lc, "extended_allitems");
        return new LoopControl(Nodes.identifier(lc, "loop_var"), Nodes.string(lc, "label"), Nodes.identifier(lc, "index_var"),
                pause, extended != null && extended, allItems == null || allItems);
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static List<String> union(List<String> a, List<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return new ArrayList<>(out);
    }

    static Map<String, Object> overlay(Map<String, Object> low, Map<String, Object> high) {
        Map<String, Object> out = new LinkedHashMap<>(low);
        out.putAll(high);
        return out;
    }
}
