package dev.moat.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;

import java.util.regex.Pattern;

import dev.moat.playbook.Block;
import dev.moat.playbook.Include;
import dev.moat.playbook.Play;
import dev.moat.playbook.RoleScope;
import dev.moat.playbook.Task;
import dev.moat.playbook.TaskItem;
import dev.moat.playbook.VarScope;
import dev.moat.template.Templar;

/**
 * Whether a play can use gathered facts, so that {@code gather_facts} costs nothing when it cannot.
 * The rule: the play gathers when a {@code setup} task is in it, or when any text it can render
 * names {@code ansible_facts}, {@code hostvars} or an {@code ansible_*} variable that is not one of
 * Ansible's connection or magic variables ({@code ansible_host}, {@code ansible_check_mode}...).
 * That text is the play's tasks and handlers (names, arguments, conditions, loops, vars), the
 * play's vars and vars files, the host's inventory and extra variables, and the template files of
 * its {@code template} tasks (a templated or missing {@code src} counts as using facts).
 * A plain-text match is cheap and errs on the side of gathering, never of leaving a fact undefined.
 * The GPUs ({@code ansible_gpus}, {@code moat_gpus}) are read only when that text names them,
 * {@code ansible_facts} or {@code hostvars}.
 */
final class FactUse {
    private static final Pattern NAME = Pattern.compile("\\b(ansible_[A-Za-z0-9_]+|hostvars|moat_gpus)\\b");
    private static final Set<String> GPU_NAMES = Set.of("ansible_gpus", "moat_gpus", "ansible_facts", "hostvars");
    /** {@code ansible_facts.kernel} or {@code ansible_facts['kernel']}: one fact that is not the GPUs. */
    private static final Pattern ONE_FACT = Pattern.compile("\\bansible_facts\\s*(?:\\.\\s*(?!gpus\\b)\\w+|\\[\\s*(['\"])(?!gpus['\"])\\w+\\1\\s*])");
    private static final Set<String> MAGIC = Set.of("ansible_host", "ansible_port", "ansible_user", "ansible_connection",
            "ansible_password", "ansible_private_key_file", "ansible_python_interpreter", "ansible_check_mode",
            "ansible_diff_mode", "ansible_limit", "ansible_run_tags", "ansible_skip_tags", "ansible_version", "ansible_forks",
            "ansible_inventory_sources", "ansible_playbook_python", "ansible_config_file", "ansible_verbosity",
            "ansible_parent_role_names", "ansible_parent_role_paths", "ansible_dependent_role_names", "ansible_collection_name",
            "ansible_index_var", "ansible_search_path", "ansible_managed", "ansible_timeout", "ansible_pipelining",
            "ansible_network_os", "ansible_remote_tmp");
    private static final List<String> MAGIC_PREFIXES = List.of("ansible_ssh_", "ansible_become", "ansible_sudo", "ansible_play_",
            "ansible_role_", "ansible_loop", "ansible_shell_", "ansible_winrm_", "ansible_httpapi_", "ansible_netconf_");

    private final Predicate<String> names;
    /** What of a text to look at: all of it, or (for the GPUs) all but the uses of one other fact. */
    private final UnaryOperator<String> text;
    private final BiFunction<String, Path, Path> templateFile;

    private FactUse(Predicate<String> names, UnaryOperator<String> text, BiFunction<String, Path, Path> templateFile) {
        this.names = names;
        this.text = text;
        this.templateFile = templateFile;
    }

    /**
     * {@code templateFile}: where a template task's {@code src} is found on the controller (for a
     * role's task, given its role's directory). A dynamic include whose file is only known when a
     * host reaches it may use anything: then facts are gathered, as Ansible always does.
     */
    static boolean needed(Play play, VarScope scope, BiFunction<String, Path, Path> templateFile) {
        return new FactUse(FactUse::isFact, s -> s, templateFile).usedBy(play, scope, true);
    }

    /** Whether the play can use the GPU facts, by the same rule with their names. */
    static boolean gpusNeeded(Play play, VarScope scope, BiFunction<String, Path, Path> templateFile) {
        return new FactUse(GPU_NAMES::contains, s -> ONE_FACT.matcher(s).replaceAll("_"), templateFile).usedBy(play, scope, false);
    }

    /** The arguments of a play's implicit {@code setup}: every subset, but the GPUs only when the play can use them. */
    static Map<String, Object> gatherArgs(Play play, VarScope scope, BiFunction<String, Path, Path> templateFile) {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        if (!gpusNeeded(play, scope, templateFile)) args.put("gather_subset", List.of("!gpus"));
        // The play's fact_path is setup's, as Ansible's PlayIterator passes it to gathering.
        if (play.factPath() != null) args.put("fact_path", play.factPath());
        return args;
    }

    /**
     * Stand-ins for the facts a task's arguments name while they are still being read in the same
     * batch: an empty string for each, and an {@code ansible_facts} that answers every key so. The
     * read-ahead binds the task with them, so a task whose content (not its path) names a fact
     * still has its reads in the one round trip; a read of a path that did depend on a fact is
     * wasted, and the task reads again when it runs.
     */
    static Map<String, Object> standIns(Task t, VarScope vars) {
        Set<String> named = new java.util.LinkedHashSet<>();
        ReadAhead.collectVariables(t.args(), named);
        ReadAhead.collectVariables(t.loop(), named);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (String n : named) {
            if (n.equals("ansible_facts") && vars.get(n) instanceof Map<?, ?> m && m.isEmpty()) out.put(n, new AnyKey());
            else if (isFact(n) && !n.equals("hostvars") && !vars.has(n)) out.put(n, "");
        }
        return out;
    }

    /** An {@code ansible_facts} stand-in: every key is there, and empty. */
    private static final class AnyKey extends java.util.AbstractMap<String, Object> {
        @Override public boolean containsKey(Object key) { return true; }
        @Override public Object get(Object key) { return ""; }
        @Override public Set<Map.Entry<String, Object>> entrySet() { return Set.of(); }
    }

    private boolean usedBy(Play play, VarScope scope, boolean setupUses) {
        List<TaskItem> items = new ArrayList<>(play.tasks());
        items.addAll(play.handlers());
        if (usesAny(items, setupUses)) return true;
        if (names(play.vars()) || names(play.filesVars()) || names(play.roleDefaults()) || names(play.roleVars())) return true;
        for (String name : scope.names()) {
            if (name.equals("hostvars") || name.equals("groups")) continue;
            if (names(scope.raw(name))) return true;
        }
        return false;
    }

    private boolean usesAny(List<TaskItem> items, boolean setupUses) {
        for (TaskItem i : items) {
            if (i instanceof Task t) {
                if (setupUses && t.module().equals("setup")) return true;
                if (names(t.name()) || names(t.args()) || names(t.when()) || names(t.loop()) || names(t.changedWhen())
                        || names(t.failedWhen()) || names(t.vars()) || usesRole(t.role())) return true;
                if (t.module().equals("template") && templateUses(t)) return true;
            } else if (i instanceof Block b) {
                if (names(b.when()) || names(b.vars()) || usesRole(b.role())) return true;
                if (usesAny(b.block(), setupUses) || usesAny(b.rescue(), setupUses) || usesAny(b.always(), setupUses)) return true;
            } else if (i instanceof Include inc) {
                if (inc.body() == null || names(inc.file()) || names(inc.when()) || names(inc.loop()) || names(inc.vars())
                        || usesRole(inc.role()) || usesAny(inc.body(), setupUses)) return true;
            }
        }
        return false;
    }

    private boolean usesRole(RoleScope role) {
        return role != null && (names(role.defaults()) || names(role.vars()) || names(role.params()));
    }

    private boolean templateUses(Task t) {
        Object src = t.args().get("src");
        if (!(src instanceof String s) || Templar.isTemplate(s)) return true;
        try {
            Path p = templateFile.apply(s, t.role() == null ? null : t.role().path());
            return p == null || names(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return true; // the task itself reports a missing or unreadable file
        }
    }

    private boolean names(Object v) {
        return names(v, names, text);
    }

    /** Whether {@code v} (a string, or strings nested in lists and maps) names a fact. */
    static boolean uses(Object v) {
        return names(v, FactUse::isFact, s -> s);
    }

    private static boolean names(Object v, Predicate<String> names, UnaryOperator<String> text) {
        if (v instanceof String str) {
            String s = text.apply(str);
            if (!s.contains("ansible_") && !s.contains("hostvars") && !s.contains("moat_gpus")) return false;
            Matcher m = NAME.matcher(s);
            while (m.find()) if (names.test(m.group(1))) return true;
            return false;
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) if (names(e.getKey(), names, text) || names(e.getValue(), names, text)) return true;
            return false;
        }
        if (v instanceof List<?> l) {
            for (Object o : l) if (names(o, names, text)) return true;
        }
        return false;
    }

    private static boolean isFact(String name) {
        if (name.equals("hostvars") || name.equals("ansible_facts")) return true;
        if (MAGIC.contains(name)) return false;
        for (String p : MAGIC_PREFIXES) if (name.startsWith(p)) return false;
        return true;
    }
}
