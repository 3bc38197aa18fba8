package dev.moat.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.moat.yaml.Mark;

/**
 * One play: which hosts, with which variables, run which tasks.
 *
 * <pre>
 * - name: Harden inference servers
 *   hosts: gpu:!staging
 *   become: true
 *   serial: [1, "50%"]
 *   max_fail_percentage: 20
 *   rollback: block           # moat's own: host (default) | block | none
 *   vars: { compose_bind: 127.0.0.1 }
 *   vars_files: [vars/vault.yml]
 *   pre_tasks: [...]
 *   roles: [geerlingguy.docker, { role: nginx, nginx_port: 8080 }]
 *   tasks: [...]
 *   post_tasks: [...]
 *   handlers: [...]
 * </pre>
 *
 * @param vars       the play's {@code vars:} as written (values may hold templates, rendered on use)
 * @param varsFiles  the {@code vars_files:} paths as written
 * @param filesVars  the variables those files define, merged in order (later files win)
 * @param become     null when not set
 * @param serial     batch steps; empty: all hosts at once
 * @param maxFailPercentage null when not set
 * @param tags       the play's own tags (already added to each task's)
 * @param tasks      in Ansible's order: {@code pre_tasks}, a handler flush, the roles' tasks (each
 *                   role a {@link Block}), {@code tasks}, a flush, {@code post_tasks} (the flushes only
 *                   where there are pre or post tasks; the last flush is the end of the play)
 * @param handlers   the play's handlers and its roles'
 * @param roleDefaults the {@code defaults/} of every role of the play, merged in order (Ansible shows
 *                   every role's defaults to the whole play, below inventory variables)
 * @param roleVars   the {@code vars/} of every role the play imports, merged in order (shown to the
 *                   whole play, above {@code vars_files})
 * @param gatherFacts {@code gather_facts} (default true, as in Ansible): run {@code setup} first when the play uses facts
 * @param strategy   {@code linear} (the default) or {@code free}; moat runs each host's tasks on their own either way
 *                   (see the README), so the two differ only in what run_once and any_errors_fatal wait for
 * @param remoteUser {@code remote_user}: the login user where the host's {@code ansible_user} does not say, or null
 * @param varsPrompt the variables {@code vars_prompt} asks for, in order
 * @param playRoleNames {@code ansible_play_role_names}: the roles of {@code roles:} and {@code import_role},
 *                   in order, as Ansible's {@code play.roles} (not yet a public {@code include_role} once it ran)
 * @param dependentRoleNames {@code ansible_dependent_role_names}: every role those pull in through
 *                   {@code meta/main.yml}, once each
 * @param factPath   the play's {@code fact_path}: where gathering reads {@code ansible_local}, or null
 */
public record Play(String name, String hosts, Map<String, Object> vars, List<String> varsFiles,
                   Map<String, Object> filesVars, Boolean become, String becomeUser, List<TaskItem> tasks,
                   List<Task> handlers, List<Serial> serial, Integer maxFailPercentage, Rollback rollback,
                   List<String> tags, Mark mark, Map<String, Object> roleDefaults, Map<String, Object> roleVars,
                   boolean gatherFacts, String strategy, String remoteUser, List<VarsPrompt> varsPrompt,
                   List<String> playRoleNames, List<String> dependentRoleNames, String factPath) {
    public Play {
        if (hosts == null || hosts.isBlank()) throw new IllegalArgumentException("a play needs hosts");
        vars = Copies.map(vars);
        varsFiles = Copies.list(varsFiles);
        filesVars = Copies.map(filesVars);
        tasks = Copies.list(tasks);
        handlers = Copies.list(handlers);
        serial = Copies.list(serial);
        rollback = rollback == null ? Rollback.HOST : rollback;
        tags = Copies.list(tags);
        roleDefaults = Copies.map(roleDefaults);
        roleVars = Copies.map(roleVars);
        strategy = strategy == null ? "linear" : strategy;
        varsPrompt = Copies.list(varsPrompt);
        playRoleNames = Copies.list(playRoleNames);
        dependentRoleNames = Copies.list(dependentRoleNames);
    }

    /** A play without role names or fact_path. */
    public Play(String name, String hosts, Map<String, Object> vars, List<String> varsFiles,
                Map<String, Object> filesVars, Boolean become, String becomeUser, List<TaskItem> tasks,
                List<Task> handlers, List<Serial> serial, Integer maxFailPercentage, Rollback rollback,
                List<String> tags, Mark mark, Map<String, Object> roleDefaults, Map<String, Object> roleVars,
                boolean gatherFacts, String strategy, String remoteUser, List<VarsPrompt> varsPrompt) {
        this(name, hosts, vars, varsFiles, filesVars, become, becomeUser, tasks, handlers, serial, maxFailPercentage,
                rollback, tags, mark, roleDefaults, roleVars, gatherFacts, strategy, remoteUser, varsPrompt, List.of(), List.of(), null);
    }

    /** A play without vars_prompt. */
    public Play(String name, String hosts, Map<String, Object> vars, List<String> varsFiles,
                Map<String, Object> filesVars, Boolean become, String becomeUser, List<TaskItem> tasks,
                List<Task> handlers, List<Serial> serial, Integer maxFailPercentage, Rollback rollback,
                List<String> tags, Mark mark, Map<String, Object> roleDefaults, Map<String, Object> roleVars,
                boolean gatherFacts, String strategy, String remoteUser) {
        this(name, hosts, vars, varsFiles, filesVars, become, becomeUser, tasks, handlers, serial, maxFailPercentage,
                rollback, tags, mark, roleDefaults, roleVars, gatherFacts, strategy, remoteUser, List.of());
    }

    /** A play with the default strategy and login user. */
    public Play(String name, String hosts, Map<String, Object> vars, List<String> varsFiles,
                Map<String, Object> filesVars, Boolean become, String becomeUser, List<TaskItem> tasks,
                List<Task> handlers, List<Serial> serial, Integer maxFailPercentage, Rollback rollback,
                List<String> tags, Mark mark, Map<String, Object> roleDefaults, Map<String, Object> roleVars,
                boolean gatherFacts) {
        this(name, hosts, vars, varsFiles, filesVars, become, becomeUser, tasks, handlers, serial, maxFailPercentage,
                rollback, tags, mark, roleDefaults, roleVars, gatherFacts, null, null, List.of());
    }

    /** A play without roles. */
    public Play(String name, String hosts, Map<String, Object> vars, List<String> varsFiles,
                Map<String, Object> filesVars, Boolean become, String becomeUser, List<TaskItem> tasks,
                List<Task> handlers, List<Serial> serial, Integer maxFailPercentage, Rollback rollback,
                List<String> tags, Mark mark, boolean gatherFacts) {
        this(name, hosts, vars, varsFiles, filesVars, become, becomeUser, tasks, handlers, serial, maxFailPercentage,
                rollback, tags, mark, Map.of(), Map.of(), gatherFacts, null, null, List.of());
    }

    /**
     * This play with its inputs known before it runs, as Ansible's {@code post_validate} gives it:
     * {@code name} and {@code hosts} rendered, and the {@code vars_prompt} answers (and any other play-level values)
     * over its {@code vars}.
     */
    public Play withInputs(String name, String hosts, Map<String, Object> answers) {
        Map<String, Object> v = new java.util.LinkedHashMap<>(vars);
        v.putAll(answers);
        return new Play(name, hosts, v, varsFiles, filesVars, become, becomeUser, tasks, handlers, serial, maxFailPercentage,
                rollback, tags, mark, roleDefaults, roleVars, gatherFacts, strategy, remoteUser, varsPrompt, playRoleNames,
                dependentRoleNames, factPath);
    }

    /**
     * Whether every task and handler of the play runs on the controller ({@code connection: local},
     * or each delegated to localhost): its hosts need no connection of their own.
     */
    public boolean onController() {
        List<Task> all = new ArrayList<>(allTasks());
        all.addAll(handlers);
        for (Task t : all) if (t.execution().delegateTo() == null || !Execution.CONTROLLER.contains(t.execution().delegateTo())) return false;
        return !all.isEmpty();
    }

    /** Every task of the play (not the handlers), blocks flattened, in order. */
    public List<Task> allTasks() {
        List<Task> out = new ArrayList<>();
        flatten(tasks, out);
        return out;
    }

    /** Every task of {@code items}, blocks and known include bodies flattened, in order. */
    public static List<Task> tasksOf(List<TaskItem> items) {
        List<Task> out = new ArrayList<>();
        flatten(items, out);
        return out;
    }

    /** The batch sizes for {@code hosts} matched hosts. */
    public List<Integer> batches(int hosts) {
        return Serial.batches(serial, hosts);
    }

    static void flatten(List<TaskItem> items, List<Task> out) {
        for (TaskItem i : items) {
            if (i instanceof Task t) out.add(t);
            else if (i instanceof Block b) out.addAll(b.tasks());
            else if (i instanceof Include inc && inc.body() != null) flatten(inc.body(), out);
        }
    }
}
