package dev.moat.modules.ufw;

import java.util.List;

/**
 * The block {@code ufw_docker} keeps at the end of {@code /etc/ufw/after.rules} and
 * {@code after6.rules}: Docker's documented hook, the {@code DOCKER-USER} chain, filled so that a
 * new connection from outside to a published container port is forwarded only if UFW's routed
 * rules allow it ({@code ufw route allow proto tcp to any port CONTAINER_PORT}); otherwise it is
 * dropped. Replies, containers' own traffic (in from a Docker bridge) and traffic that does not go
 * to a Docker bridge return to Docker's and UFW's own rules unchanged. Unlike chaifeng/ufw-docker,
 * private source ranges are not exempt: a GPU server's datacenter neighbours are the bots' easiest
 * path.
 *
 * <p>Docker rewrites the destination port (DNAT) before the FORWARD chain, so the routed rule names
 * the container's port, not the host's: {@code -p 8001:8000} is opened by a route rule for 8000.
 * UFW loads after.rules before its user rules and an {@code iptables-restore -n} declaration
 * flushes a chain, so the block is idempotent across {@code ufw reload} and rewrites
 * {@code DOCKER-USER} whole; Docker keeps its jump to it and does not add a second RETURN.
 */
public final class DockerGuard {
    public static final String BEGIN = "# BEGIN moat ufw_docker";
    public static final String END = "# END moat ufw_docker";

    /** Docker's bridge interfaces: the default bridge and every user-defined network's. */
    static final List<String> BRIDGES = List.of("docker0", "br-+");

    private DockerGuard() {}

    /** The block for IPv4 ({@code v6} false, after.rules) or IPv6 (after6.rules). */
    public static String block(boolean v6) {
        String user = v6 ? "ufw6-user-forward" : "ufw-user-forward";
        StringBuilder b = new StringBuilder();
        b.append(BEGIN).append('\n');
        b.append("# Published Docker ports answer from outside only if UFW routes them:\n");
        b.append("#   ufw route allow proto tcp to any port CONTAINER_PORT\n");
        b.append("# (written by moat's ufw_docker; `state: absent` removes it)\n");
        b.append("*filter\n");
        b.append(':').append(user).append(" - [0:0]\n");
        b.append(":DOCKER-USER - [0:0]\n");
        b.append("-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\n");
        for (String i : BRIDGES) b.append("-A DOCKER-USER -i ").append(i).append(" -j RETURN\n");
        b.append("-A DOCKER-USER -j ").append(user).append('\n');
        for (String i : BRIDGES) b.append("-A DOCKER-USER -o ").append(i).append(" -m conntrack --ctstate NEW -j DROP\n");
        b.append("-A DOCKER-USER -j RETURN\n");
        b.append("COMMIT\n");
        b.append(END).append('\n');
        return b.toString();
    }

    /**
     * {@code text} with the block present (replacing an outdated one in place, else appended after
     * a blank line) or absent (removed with the blank line it was appended after).
     *
     * @throws IllegalArgumentException when the file has a BEGIN marker without its END
     */
    public static String apply(String text, boolean present, boolean v6) {
        int begin = lineStart(text, BEGIN);
        if (begin >= 0) {
            int endMark = lineStart(text.substring(begin), END);
            if (endMark < 0) throw new IllegalArgumentException("'" + BEGIN + "' without '" + END + "'");
            int end = begin + endMark + END.length();
            if (end < text.length() && text.charAt(end) == '\n') end++;
            String before = text.substring(0, begin);
            String after = text.substring(end);
            if (present) return before + block(v6) + after;
            if (after.isEmpty() && before.endsWith("\n\n")) before = before.substring(0, before.length() - 1);
            return before + after;
        }
        if (!present) return text;
        String base = text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
        return base + (base.isEmpty() ? "" : "\n") + block(v6);
    }

    /** Whether {@code text} has the block exactly as this version of moat writes it. */
    public static boolean current(String text, boolean v6) {
        return text.contains(block(v6));
    }

    /** The offset of the line that starts with {@code marker}, or -1. */
    private static int lineStart(String text, String marker) {
        int at = 0;
        while (true) {
            int i = text.indexOf(marker, at);
            if (i < 0) return -1;
            if (i == 0 || text.charAt(i - 1) == '\n') return i;
            at = i + 1;
        }
    }
}
