package dev.moat.modules.ufw;

import java.util.ArrayList;
import java.util.List;

/**
 * Would a firewall state stop moat from reaching sshd again? Evaluates, for each port sshd needs,
 * an incoming TCP connection from the controller the way ufw does: the first matching rule decides,
 * else the incoming default. Conservative where it cannot know: a rule tied to an interface never
 * counts as letting SSH in, nor does one restricted to source (or destination) addresses unless the
 * controller's (or the host's) address of the current connection is known and inside it.
 */
public final class Lockout {
    private Lockout() {}

    /** The required SSH ports that {@code state} would block; empty when it is safe (or inactive). */
    public static List<Integer> blocked(UfwState state, SshPorts ssh) {
        List<Integer> out = new ArrayList<>();
        if (!state.active()) return out;
        for (int port : ssh.required()) {
            if (!reachable(state, port, ssh.peer(), ssh.local())) out.add(port);
        }
        return out;
    }

    static boolean reachable(UfwState state, int port, String peer, String local) {
        for (UfwRule r : state.rules()) {
            if (r.route() || !r.direction().equals("in")) continue;
            if (!r.proto().equals("tcp") && !r.proto().equals("any")) continue;
            if (!r.coversPort(port) || !r.sport().equals("any") || !r.sapp().isEmpty()) continue;
            boolean allows = r.action().equals("allow") || r.action().equals("limit");
            boolean srcOk = Addresses.isAny(r.src()) || (peer != null && Addresses.covers(r.src(), peer));
            boolean dstOk = Addresses.isAny(r.dst()) || (local != null && Addresses.covers(r.dst(), local));
            boolean matches = srcOk && dstOk;
            if (allows) {
                if (matches && r.iface().isEmpty()) return true;
            } else if (matches) {
                // A deny or reject that matches, on any interface, blocks: the first match wins in ufw.
                return false;
            }
        }
        return state.defaults().get("incoming").equals("allow");
    }
}
