package dev.moat.playbook;

import java.util.List;
import java.util.Map;

import dev.moat.yaml.Mark;

/**
 * A {@code block:} of tasks, with optional {@code rescue:} (run when a task of the block fails)
 * and {@code always:} (run in any case). Its {@code when}, {@code tags}, {@code become},
 * {@code no_log}, {@code ignore_errors} and {@code vars} are already applied to every task inside
 * (see {@link Task}); they are kept here for display. A block is also the unit that
 * {@code rollback: block} undoes on its own; {@code rollback} set on the block itself (moat's key)
 * overrides the play's for the tasks inside, null when not set. An {@code import_tasks},
 * {@code import_role} or an entry of {@code roles:} loads as a block of its tasks; {@code role} is
 * the role the block belongs to (null outside roles).
 *
 * <pre>
 * - name: TLS vault
 *   rollback: block
 *   block:
 *     - certbot: { domains: ["{{ item.domain }}"] }
 *   rescue:
 *     - debug: { msg: "certificate failed; GPU ports stay closed" }
 * </pre>
 */
public record Block(String name, List<TaskItem> block, List<TaskItem> rescue, List<TaskItem> always,
                    List<String> when, List<String> tags, Boolean become, String becomeUser, boolean noLog,
                    boolean ignoreErrors, Map<String, Object> vars, Rollback rollback, Mark mark, RoleScope role)
        implements TaskItem {
    public Block {
        block = Copies.list(block);
        rescue = Copies.list(rescue);
        always = Copies.list(always);
        when = Copies.list(when);
        tags = Copies.list(tags);
        vars = Copies.map(vars);
    }

    /** Every task inside, depth first: block, then rescue, then always (dynamic includes' known bodies too). */
    public List<Task> tasks() {
        List<Task> out = new java.util.ArrayList<>();
        for (List<TaskItem> part : List.of(block, rescue, always)) Play.flatten(part, out);
        return out;
    }
}
