package dev.moat.engine;

import dev.moat.module.Args;
import dev.moat.module.TaskException;
import dev.moat.playbook.Play;
import dev.moat.playbook.Task;
import dev.moat.playbook.VarScope;
import dev.moat.template.Templar;
import dev.moat.template.Vars;
import dev.moat.transport.Command;

/**
 * Who a task's reads and steps run as on the host: the login user ({@code become} false), or
 * through sudo as {@code user} ({@code become_user}: task, then block, then play, then the
 * {@code ansible_become_user} variable; null leaves it to the transport, which defaults to root).
 * Facts are cached and batched per RunAs: what one user may read is not another user's fact.
 */
public record RunAs(boolean become, String user) {
    /** The login user, no sudo. */
    public static final RunAs LOGIN = new RunAs(false, null);

    public RunAs {
        if (!become || (user != null && user.isBlank())) user = null;
    }

    /**
     * Who task {@code t} of {@code play} runs as: {@code become} from the task (blocks already
     * inherited into it), else the play, else the {@code ansible_become} variable; then the
     * innermost {@code become_user}, else the {@code ansible_become_user} variable, else the
     * transport's default (root). A templated {@code become_user} is rendered with the task's
     * variables {@code vars}, as in Ansible.
     */
    static RunAs of(Task t, Play play, VarScope scope, Templar templar, Vars vars) throws TaskException {
        if (!becomes(t, play, scope)) return LOGIN;
        String user = t.becomeUser();
        if (user == null && scope.has("ansible_become_user")) {
            Object v = scope.get("ansible_become_user");
            user = v == null ? null : String.valueOf(v);
        }
        if (user != null && Templar.isTemplate(user)) {
            try {
                user = templar.renderString(user, vars).strip();
            } catch (RuntimeException e) {
                throw new TaskException("become_user: " + TaskEval.message(e));
            }
        }
        return new RunAs(true, user);
    }

    private static boolean becomes(Task t, Play play, VarScope scope) {
        if (t.become() != null) return t.become();
        if (play.become() != null) return play.become();
        Object b = scope.has("ansible_become") ? scope.get("ansible_become") : null;
        return b != null && Boolean.TRUE.equals(Args.toBool(b));
    }

    /** {@code script} as a command run as this user. */
    public Command command(String script) {
        return Command.as(script, become, user);
    }

    @Override
    public String toString() {
        return !become ? "login user" : user == null ? "become user" : user;
    }
}
