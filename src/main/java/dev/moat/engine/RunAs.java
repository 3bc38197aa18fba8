package dev.moat.engine;

import dev.moat.module.Facts;
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

    /** {@code script} as a command run as this user. */
    public Command command(String script) {
        return Command.as(script, become, user);
    }

    @Override
    public String toString() {
        return !become ? "login user" : user == null ? "become user" : user;
    }
}
