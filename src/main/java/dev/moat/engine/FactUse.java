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
 */
final class FactUse {
    private static final Pattern NAME = Pattern.compile("\\b(ansible_[A-Za-z0-9_]+|hostvars)\\b");
    private static final Set<String> MAGIC = Set.of("ansible_host", "ansible_port", "ansible_user", "ansible_connection",
            "ansible_password", "ansible_private_key_file", "ansible_python_interpreter", "ansible_check_mode",
            "ansible_diff_mode", "ansible_limit", "ansible_run_tags", "ansible_skip_tags", "ansible_version", "ansible_forks",
            "ansible_inventory_sources", "ansible_playbook_python", "ansible_config_file", "ansible_verbosity",
            "ansible_parent_role_names", "ansible_parent_role_paths", "ansible_dependent_role_names", "ansible_collection_name",
            "ansible_index_var", "ansible_search_path", "ansible_managed", "ansible_timeout", "ansible_pipelining",
            "ansible_network_os", "ansible_remote_tmp");
    private static final List<String> MAGIC_PREFIXES = List.of("ansible_ssh_", "ansible_become", "ansible_sudo", "ansible_play_",
            "ansible_role_", "ansible_loop", "ansible_shell_", "ansible_winrm_", "ansible_httpapi_", "ansible_netconf_");

    private FactUse() {}

    /**
     * {@code templateFile}: where a template task's {@code src} is found on the controller (for a
     * role's task, given its role's directory). A dynamic include whose file is only known when a
     * host reaches it may use anything: then facts are gathered, as Ansible always does.
     */
    static boolean needed(Play play, VarScope scope, BiFunction<String, Path, Path> templateFile) {
        List<TaskItem> items = new ArrayList<>(play.tasks());
        items.addAll(play.handlers());
        if (usesAny(items, templateFile)) return true;
        if (uses(play.vars()) || uses(play.filesVars()) || uses(play.roleDefaults()) || uses(play.roleVars())) return true;
        for (String name : scope.names()) {
            if (name.equals("hostvars") || name.equals("groups")) continue;
            if (uses(scope.raw(name))) return true;
        }
        return false;
    }

    private static boolean usesAny(List<TaskItem> items, BiFunction<String, Path, Path> templateFile) {
        for (TaskItem i : items) {
            if (i instanceof Task t) {
                if (t.module().equals("setup")) return true;
                if (uses(t.name()) || uses(t.args()) || uses(t.when()) || uses(t.loop()) || uses(t.changedWhen())
                        || uses(t.failedWhen()) || uses(t.vars()) || usesRole(t.role())) return true;
                if (t.module().equals("template") && templateUses(t, templateFile)) return true;
            } else if (i instanceof Block b) {
                if (uses(b.when()) || uses(b.vars()) || usesRole(b.role())) return true;
                if (usesAny(b.block(), templateFile) || usesAny(b.rescue(), templateFile) || usesAny(b.always(), templateFile)) return true;
            } else if (i instanceof Include inc) {
                if (inc.body() == null || uses(inc.file()) || uses(inc.when()) || uses(inc.loop()) || uses(inc.vars())
                        || usesRole(inc.role()) || usesAny(inc.body(), templateFile)) return true;
            }
        }
        return false;
    }

    private static boolean usesRole(RoleScope role) {
        return role != null && (uses(role.defaults()) || uses(role.vars()) || uses(role.params()));
    }

    private static boolean templateUses(Task t, BiFunction<String, Path, Path> templateFile) {
        Object src = t.args().get("src");
        if (!(src instanceof String s) || Templar.isTemplate(s)) return true;
        try {
            Path p = templateFile.apply(s, t.role() == null ? null : t.role().path());
            return p == null || uses(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return true; // the task itself reports a missing or unreadable file
        }
    }

    /** Whether {@code v} (a string, or strings nested in lists and maps) names a fact. */
    static boolean uses(Object v) {
        if (v instanceof String s) {
            if (!s.contains("ansible_") && !s.contains("hostvars")) return false;
            Matcher m = NAME.matcher(s);
            while (m.find()) if (isFact(m.group(1))) return true;
            return false;
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) if (uses(e.getKey()) || uses(e.getValue())) return true;
            return false;
        }
        if (v instanceof List<?> l) {
            for (Object o : l) if (uses(o)) return true;
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
