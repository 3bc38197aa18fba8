package dev.moat.scan;

import java.util.List;

import dev.moat.compose.Binding;

/**
 * Whether a port Docker publishes outside loopback can be reached from other hosts, given the
 * {@code ufw_docker} guard in {@code DOCKER-USER} ({@code iptables -S DOCKER-USER}) and UFW's
 * status. Without the guard, Docker's DNAT runs before UFW: every such port is reachable. With
 * it, IPv4 traffic (DNAT, then FORWARD) is reachable only where UFW routes the container's port;
 * IPv6 traffic may instead reach docker-proxy through INPUT (Docker without ip6tables), so there
 * UFW's input rules for the host port count too.
 *
 * @param guarded DOCKER-USER sends new connections to Docker's bridges through UFW's routed rules and drops the rest
 */
record DockerReach(boolean guarded, UfwStatus ufw) {
    /** Reads the docker-user section; a chain that is missing or unreadable is no guard. */
    static DockerReach of(AuditOutput.Section dockerUser, UfwStatus ufw) {
        return new DockerReach(dockerUser.ran() && guards(dockerUser.lines()), ufw);
    }

    /** Whether the chain holds the guard: a jump to UFW's routed rules before a drop of new connections to docker0. */
    static boolean guards(List<String> rules) {
        int jump = -1;
        for (int i = 0; i < rules.size(); i++) {
            String r = rules.get(i);
            if (!r.startsWith("-A DOCKER-USER ")) continue;
            if (r.matches("-A DOCKER-USER -j ufw6?-user-forward")) jump = i;
            else if (jump >= 0 && r.contains("-o docker0") && r.contains("NEW") && r.endsWith("-j DROP")) return true;
            else if (r.endsWith("-j ACCEPT") && !r.contains("RELATED,ESTABLISHED")) return false;
        }
        return false;
    }

    /** Whether outside hosts reach {@code b} (published outside loopback). */
    boolean reachable(Binding b) {
        if (!guarded) return true;
        boolean v6 = b.hostIp().contains(":");
        return ufw.routes(b.containerNumber()) || (v6 && ufw.lets(b.hostNumber()));
    }

    /** Why, in words: for findings. */
    String words(Binding b) {
        if (!guarded) return "Docker's DNAT runs before UFW (no DOCKER-USER guard: ufw_docker)";
        return reachable(b) ? "UFW routes " + b.containerNumber() + " through the DOCKER-USER guard"
                : "the DOCKER-USER guard drops it: UFW routes no " + b.containerNumber() + "/tcp";
    }
}
