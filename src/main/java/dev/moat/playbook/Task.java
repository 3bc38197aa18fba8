package dev.moat.playbook;

import java.util.List;
import java.util.Map;

import dev.moat.yaml.Mark;

/**
 * One task, validated against its module's spec. Keywords a task inherits from its enclosing
 * blocks and play are already applied, as Ansible applies them: {@code when} holds the blocks'
 * conditions first, then the task's own (all must hold); {@code tags} the union of the play's, the
 * blocks' and the task's; {@code become}, {@code becomeUser}, {@code noLog}, {@code ignoreErrors}
 * the innermost value given; {@code vars} the blocks' vars overlaid by the task's.
 *
 * <pre>
 * - name: Publish vLLM on loopback only
 *   compose_ports: { dir: /opt/vllm, bind: "{{ compose_bind }}" }
 *   when: "'vllm' in group_names"
 *   register: ports
 *   notify: restart vllm
 * </pre>
 *
 * @param name        the name as written (may hold a template), or null
 * @param module      the module's short name ({@code ansible.builtin.copy} is {@code copy}); for a module
 *                    Ansible has and moat does not, the name as written ({@code dnf}), which fails only
 *                    when a host reaches the task; or one of the {@link Actions} moat runs itself
 * @param args        the arguments as written, aliases unresolved; values may hold templates
 *                    (checked against the spec at load time only where they hold none)
 * @param when        conditions (bare Jinja expressions), all of which must hold; empty: always
 * @param loop        null, a list (items may hold templates) or a template string yielding a list
 * @param register    the variable the result is registered as, or null
 * @param notifies    the handlers (names or listen topics) notified when the task changes something
 * @param changedWhen conditions overriding "changed" (any true: changed); empty: not set
 * @param failedWhen  conditions overriding "failed" (any true: failed); empty: not set
 * @param become      null when neither the task, its blocks nor the play says
 * @param listen      topics a handler also answers to (handlers only)
 * @param mark        where the task starts
 * @param moduleMark  where the module key is
 * @param argMarks    where each argument is written (keyed as written)
 * @param loopLookup  null for {@code loop:}; for {@code with_items:} and its kin, the lookup that turns
 *                    the value into items ({@code items}, {@code dict}, {@code first_found}, ...)
 * @param role        the role the task belongs to, or null
 * @param polling     {@code until}/{@code retries}/{@code delay}
 * @param when        (see above) for a module moat lacks, the reason a host reaches it is this text
 * @param execution   how it runs: environment, templated booleans, run_once, throttle, any_errors_fatal, diff
 */
public record Task(String name, String module, Map<String, Object> args, List<String> when, Object loop,
                   LoopControl loopControl, String register, List<String> notifies, List<String> tags, boolean noLog,
                   boolean ignoreErrors, List<String> changedWhen, List<String> failedWhen, Boolean become,
                   String becomeUser, List<String> listen, Map<String, Object> vars, Mark mark, Mark moduleMark,
                   Map<String, Mark> argMarks, Boolean checkMode, String loopLookup, RoleScope role,
                   Execution execution, Polling polling) implements TaskItem {
    public Task {
        if (module == null || module.isBlank()) throw new IllegalArgumentException("a task needs a module");
        args = Copies.map(args);
        when = Copies.list(when);
        loopControl = loopControl == null ? LoopControl.DEFAULT : loopControl;
        notifies = Copies.list(notifies);
        tags = Copies.list(tags);
        changedWhen = Copies.list(changedWhen);
        failedWhen = Copies.list(failedWhen);
        listen = Copies.list(listen);
        vars = Copies.map(vars);
        argMarks = Copies.map(argMarks);
        execution = execution == null ? Execution.NONE : execution;
        polling = polling == null ? Polling.NONE : polling;
    }

    /** A task with Ansible's defaults for how it runs ({@link Execution#NONE}) that neither retries nor runs asynchronously. */
    public Task(String name, String module, Map<String, Object> args, List<String> when, Object loop,
                LoopControl loopControl, String register, List<String> notifies, List<String> tags, boolean noLog,
                boolean ignoreErrors, List<String> changedWhen, List<String> failedWhen, Boolean become,
                String becomeUser, List<String> listen, Map<String, Object> vars, Mark mark, Mark moduleMark,
                Map<String, Mark> argMarks, Boolean checkMode, String loopLookup, RoleScope role) {
        this(name, module, args, when, loop, loopControl, register, notifies, tags, noLog, ignoreErrors, changedWhen,
                failedWhen, become, becomeUser, listen, vars, mark, moduleMark, argMarks, checkMode, loopLookup, role, Execution.NONE, Polling.NONE);
    }

    /**
     * This task with its templated boolean keywords as rendered for one host ({@code values}: keyword
     * to value, for keywords of {@link Execution#templated}); nothing is templated any more.
     */
    public Task withFlags(Map<String, Boolean> values) {
        Execution e = execution;
        Execution flat = new Execution(e.environment(), Map.of(), values.getOrDefault("diff", e.diff()),
                values.getOrDefault("run_once", e.runOnce()), values.getOrDefault("any_errors_fatal", e.anyErrorsFatal()),
                e.throttle(), e.delegateTo(), e.delegateFacts(), e.async(), e.poll(), e.remoteUser());
        return new Task(name, module, args, when, loop, loopControl, register, notifies, tags,
                values.getOrDefault("no_log", noLog), values.getOrDefault("ignore_errors", ignoreErrors), changedWhen,
                failedWhen, values.containsKey("become") ? values.get("become") : become, becomeUser, listen, vars, mark,
                moduleMark, argMarks, values.containsKey("check_mode") ? values.get("check_mode") : checkMode, loopLookup,
                role, flat, polling);
    }

    /** The name to show: the name as written, or the module's name when there is none. */
    public String displayName() {
        return name != null && !name.isBlank() ? name : module;
    }

    /** The mark of argument {@code arg} as written, or the module's mark. */
    public Mark argMark(String arg) {
        return argMarks.getOrDefault(arg, moduleMark);
    }
}
