package dev.moat.modules;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.moat.module.PlanContext;

/**
 * The accounts moat's way into a host depends on: root, and the user it connects as
 * ({@code ansible_user}, else {@code remote_user}, else the controller's own user name, as SSH
 * defaults). A change to one of them is guarded against a lockout.
 */
final class Logins {
    private Logins() {}

    static Set<String> of(PlanContext ctx) {
        Set<String> users = new LinkedHashSet<>();
        users.add("root");
        Object u = ctx.vars().get("ansible_user");
        if (u == null) u = ctx.vars().get("ansible_ssh_user");
        if (u == null) u = ctx.vars().get("remote_user");
        if (u == null) u = ctx.vars().get("moat_default_remote_user"); // -u or ansible.cfg's remote_user (Runner.DEFAULT_USER)
        users.add(u != null ? String.valueOf(u) : System.getProperty("user.name", "root"));
        return users;
    }
}
