package dev.moat.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import dev.moat.inventory.Group;
import dev.moat.inventory.Host;
import dev.moat.inventory.Inventory;
import dev.moat.playbook.Play;

/**
 * SSH passwords ({@code ansible_password}, {@code ansible_ssh_pass}, {@code ansible_ssh_password})
 * are refused, before any host is touched: moat authenticates with keys only (a file, or
 * ssh-agent), so a password in the inventory would be a secret kept for nothing, or a host moat
 * silently cannot reach. The message names the host, the variable and where it was set (the group
 * or host entry of the inventory, the play, {@code -e}), never the value: exit 65 for an inventory
 * or playbook, 64 for {@code -e}.
 */
final class SshPasswords {
    static final List<String> NAMES = List.of("ansible_password", "ansible_ssh_pass", "ansible_ssh_password");

    private static final String ADVICE = ": moat logs in with SSH keys only and does not take SSH passwords."
            + " Install a key on the host (ssh-copy-id), then name it with ansible_ssh_private_key_file or --private-key,"
            + " or load it into ssh-agent; remove the password variable (sudo's password is ansible_become_password)";

    private SshPasswords() {}

    /** Refuses a password the inventory gives {@code host}, naming where. */
    static void refuse(Inventory inv, String host) {
        Host h = inv.requireHost(host);
        for (String name : NAMES) {
            if (!set(h.vars(), name)) continue;
            List<String> from = new ArrayList<>();
            for (String g : h.groups()) {
                Group group = inv.groups().get(g);
                if (group != null && set(group.vars(), name)) from.add("group '" + g + "' (" + group.mark() + ", or its group_vars)");
            }
            String where = from.isEmpty() ? "the host's own entry (" + h.mark() + ", or host_vars/" + host + ")"
                    : String.join(" and ", from);
            throw MoatException.invalid("host " + host + ": " + name + " is set in the inventory by " + where + ADVICE);
        }
    }

    /** Refuses a password a play or {@code -e} gives. */
    static void refuse(Play play, Map<String, Object> extra) {
        for (String name : NAMES) {
            if (set(extra, name)) throw new MoatException(ExitCode.USAGE, "-e " + name + " sets an SSH password" + ADVICE);
            if (set(play.vars(), name) || set(play.filesVars(), name)) {
                throw MoatException.invalid("play '" + (play.name() == null ? play.hosts() : play.name()) + "' (" + play.mark() + "): "
                        + name + " is set in its " + (set(play.vars(), name) ? "vars" : "vars_files") + ADVICE);
            }
        }
    }

    private static boolean set(Map<String, Object> vars, String name) {
        Object v = vars.get(name);
        return v != null && !String.valueOf(v).isEmpty();
    }
}
