package dev.moat.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.config.AnsibleConfig;
import dev.moat.config.ConfigEnv;
import dev.moat.playbook.Play;
import dev.moat.playbook.Playbook;

/**
 * Ansible's magic variables of a play that need no facts: {@code playbook_dir},
 * {@code ansible_play_name}, {@code ansible_play_hosts} (the play's hosts still standing),
 * {@code ansible_play_hosts_all}, {@code ansible_play_batch}, {@code ansible_check_mode},
 * {@code ansible_diff_mode}, {@code ansible_forks}, {@code ansible_run_tags},
 * {@code ansible_skip_tags}, {@code ansible_version} (the Ansible whose behaviour moat follows),
 * {@code ansible_managed} and {@code ansible_config_file}. The inventory gives the host's own ({@code inventory_hostname},
 * {@code group_names}, {@code groups}, {@code hostvars}, {@code inventory_dir}); the command line
 * gives {@code ansible_limit}; the templates know {@code omit}.
 */
final class MagicVars {
    /** The Ansible release whose templating, tests and filters moat matches (recorded fixtures). */
    static final String ANSIBLE_VERSION = "2.14.18";
    static final String ANSIBLE_MANAGED = "Ansible managed";

    private MagicVars() {}

    static Map<String, Object> of(Playbook playbook, Play play, List<String> standing, List<String> all, List<String> batch,
                                  RunOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("playbook_dir", playbook.dir().toString());
        m.put("ansible_play_name", play.name());
        m.put("ansible_play_hosts", new ArrayList<>(standing));
        m.put("ansible_play_hosts_all", new ArrayList<>(all));
        m.put("ansible_play_batch", new ArrayList<>(batch));
        m.put("ansible_check_mode", o.check());
        m.put("ansible_diff_mode", o.diff());
        m.put("ansible_forks", o.forks());
        m.put("ansible_run_tags", o.tags().isEmpty() ? List.of("all") : new ArrayList<>(new java.util.TreeSet<>(o.tags())));
        m.put("ansible_skip_tags", new ArrayList<>(new java.util.TreeSet<>(o.skipTags())));
        Map<String, Object> version = new LinkedHashMap<>();
        String[] parts = ANSIBLE_VERSION.split("\\.");
        version.put("full", ANSIBLE_VERSION);
        version.put("major", Integer.parseInt(parts[0]));
        version.put("minor", Integer.parseInt(parts[1]));
        version.put("revision", Integer.parseInt(parts[2]));
        version.put("string", ANSIBLE_VERSION);
        m.put("ansible_version", version);
        m.put("ansible_managed", ANSIBLE_MANAGED);
        m.put("ansible_config_file", configFile(ConfigEnv.system()));
        roleNames(play, m);
        return m;
    }

    /**
     * {@code ansible_play_role_names} (the play's roles: {@code roles:} and {@code import_role}; Ansible
     * adds a public {@code include_role} once it ran, moat does not), {@code ansible_dependent_role_names} (their meta dependencies),
     * {@code ansible_role_names} (both, once each) and the deprecated {@code role_names}, as
     * Ansible 2.14's VariableManager computes them. Ansible builds the last two from a Python set, in
     * no stable order; moat sorts them.
     */
    static void roleNames(Play play, Map<String, Object> m) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(play.playRoleNames());
        all.addAll(play.dependentRoleNames());
        m.put("ansible_role_names", new ArrayList<>(all));
        m.put("ansible_play_role_names", new ArrayList<>(play.playRoleNames()));
        m.put("ansible_dependent_role_names", new ArrayList<>(new java.util.TreeSet<>(play.dependentRoleNames())));
        m.put("role_names", new ArrayList<>(play.playRoleNames()));
    }

    /** {@code ansible_config_file}: the absolute path of the ansible.cfg read (found as Ansible finds it), or null. */
    static String configFile(ConfigEnv env) {
        java.nio.file.Path p = AnsibleConfig.findFile(env);
        return p == null ? null : p.toAbsolutePath().normalize().toString();
    }
}
