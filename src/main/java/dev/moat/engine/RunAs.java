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
 * Who a task's reads and steps run as on the host: over the connection of login user
 * {@code login} (a task's, block's or role's {@code remote_user}; null: the host's own connection,
 * see {@link HostSession}), as that user ({@code become} false) or through sudo as {@code user}
 * ({@code become_user}: task, then block, then play, then the {@code ansible_become_user}
 * variable; null leaves it to the transport, which defaults to root). Facts are cached and batched
 * per RunAs: what one user may read is not another user's fact.
 */
public record RunAs(String login, boolean become, String user) {
    /** The login user of the host's own connection, no sudo. */
    public static final RunAs LOGIN = new RunAs(null, false, null);

    public RunAs {
        if (login != null && login.isBlank()) login = null;
        if (!become || (user != null && user.isBlank())) user = null;
    }

    /** Over the host's own connection. */
    public RunAs(boolean become, String user) {
        this(null, become, user);
    }

    /**
     * Who task {@code t} of {@code play} runs as: {@code become} from the task (blocks already
     * inherited into it), else the play, else the {@code ansible_become} variable; then the
     * innermost {@code become_user}, else the {@code ansible_become_user} variable, else the
     * transport's default (root). A templated {@code become_user} is rendered with the task's
     * variables {@code vars}, as in Ansible. The login is {@link #login(Task, String, VarScope, Templar, Vars)}'s.
     */
    static RunAs of(Task t, Play play, VarScope scope, Templar templar, Vars vars) throws TaskException {
        return of(t, play, null, scope, templar, vars);
    }

    /** As {@link #of(Task, Play, VarScope, Templar, Vars)}, in a play whose own login differs from the host connection's ({@code playLogin}, else null). */
    static RunAs of(Task t, Play play, String playLogin, VarScope scope, Templar templar, Vars vars) throws TaskException {
        String login = login(t, playLogin, scope, templar, vars);
        if (!becomes(t, play, scope)) return new RunAs(login, false, null);
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
        return new RunAs(login, true, user);
    }

    /**
     * The user task {@code t} logs in as, as Ansible's {@code PlayContext} chooses it: the
     * {@code ansible_user} variable when set (the inventory's beats any keyword; the host's own
     * connection logged in so, hence null), else the task's {@code remote_user} (the innermost of
     * task, block and role entry; a template is rendered with the task's variables), else the
     * play's ({@code playLogin}: null when the host's own connection is the play's).
     */
    static String login(Task t, String playLogin, VarScope scope, Templar templar, Vars vars) throws TaskException {
        if (scope.has("ansible_user") && scope.get("ansible_user") != null) return null;
        String user = t.execution().remoteUser();
        if (user == null) return playLogin;
        if (Templar.isTemplate(user)) {
            try {
                user = templar.renderString(user, vars).strip();
            } catch (RuntimeException e) {
                throw new TaskException("remote_user: " + TaskEval.message(e));
            }
            if (!user.matches("[A-Za-z0-9_.][A-Za-z0-9_.@-]*")) throw new TaskException("remote_user: '" + user + "' is not a user name");
        }
        return user;
    }

    private static boolean becomes(Task t, Play play, VarScope scope) {
        if (t.become() != null) return t.become();
        if (play.become() != null) return play.become();
        Object b = scope.has("ansible_become") ? scope.get("ansible_become") : null;
        return b != null && Boolean.TRUE.equals(Args.toBool(b));
    }

    /** {@code script} as a command run as this user (over the connection {@link HostSession#exec(RunAs, Command)} picks). */
    public Command command(String script) {
        return Command.as(script, become, user);
    }

    @Override
    public String toString() {
        String as = !become ? "login user" : user == null ? "become user" : user;
        return login == null ? as : as + " (logged in as " + login + ")";
    }
}
