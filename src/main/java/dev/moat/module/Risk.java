package dev.moat.module;

import java.util.Set;

/**
 * What a change may cost the controller: its way into the host. A plan declares its risks
 * ({@link Plan#risks}); the engine guards a risky change with the lockout guard (a revert armed on
 * the host before the change, disarmed only once a NEW SSH connection works after it), whoever
 * planned it. A closed set: the guard knows how to put each one back.
 *
 * <pre>
 * b.risk(Risk.FIREWALL);      // ufw: the firewall may drop SSH
 * b.writes(args.dest());      // a file module: SSH when the path is sshd's configuration
 * </pre>
 */
public enum Risk {
    /**
     * Changes the firewall. The plan journals it ({@code Undo.RestoreFirewall}, plus the paths
     * beside it such as /etc/default/ufw); the guard's revert restores those paths, then the
     * firewall, which reloads it.
     */
    FIREWALL,
    /**
     * Changes what sshd runs with: writes under {@value #SSH_CONFIG}, or makes sshd load it
     * (restart, reload, start, stop). The plan journals what it writes under {@value #SSH_CONFIG}
     * (a restart journals the whole directory); the guard's revert restores every such entry of the
     * run and reloads sshd. Where sshd listens ({@value #SSHD_PORTS}) goes stale.
     */
    SSH;

    /** sshd's configuration directory. */
    public static final String SSH_CONFIG = "/etc/ssh";

    /** The fact key of the ports sshd listens on. */
    public static final String SSHD_PORTS = "sshd:ports";

    /** The risks of writing {@code path}: {@link #SSH} under {@value #SSH_CONFIG}, else none. */
    public static Set<Risk> ofPath(String path) {
        return path.equals(SSH_CONFIG) || path.startsWith(SSH_CONFIG + "/") ? Set.of(SSH) : Set.of();
    }
}
