package dev.moat.modules.ufw;

import dev.moat.facts.CommandFact;
import dev.moat.facts.CommandOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where sshd really listens, and the connection moat itself came in on, so the ufw module can refuse
 * a firewall that would lock moat out.
 *
 * <p>Read from {@code /proc} with shell builtins and one {@code ls} and one {@code grep} (no {@code ss},
 * no {@code sshd -T}): the processes whose name starts with {@code sshd}, the socket inodes of their
 * open files, and the listening lines ({@code 0A}) of {@code /proc/net/tcp} and {@code tcp6}, which
 * come first (the read stops there: the rest would make the kernel walk its whole connection table,
 * several ms of system time on a big host). Sources, best first: the TCP sockets an {@code sshd}
 * process listens on (loopback-only ones don't count, ufw never filters loopback); the {@code Port}
 * lines of {@code /etc/ssh/sshd_config} and {@code sshd_config.d/*.conf} (22 when they have none),
 * used only when no sshd listener was seen (socket activation, where systemd holds the socket); and
 * the port of the SSH connection the fact script runs under. That last one is found by walking up
 * the script's ancestors to the sshd process of the session and reading {@code SSH_CONNECTION} from
 * the environment sshd gave its child (the login shell), which sudo cannot drop; the script's own
 * {@code $SSH_CONNECTION} is only a fallback. When nothing at all is found, port 22 is assumed. {@link #LEGACY} is the earlier read
 * (ss and sshd -T), kept for the tests that compare both on the same hosts; {@link #parse} reads either.
 *
 * @param listening non-loopback ports an sshd process listens on
 * @param configured ports sshd's configuration names
 * @param connection the server-side port of moat's own connection, or null when not under sshd
 * @param peer the controller's address as the host sees it, or null
 * @param local the host's address moat connected to, or null
 */
public record SshPorts(Set<Integer> listening, Set<Integer> configured, Integer connection, String peer, String local) {
    public SshPorts {
        listening = Set.copyOf(listening);
        configured = Set.copyOf(configured);
    }

    /**
     * The read; its output lines are tagged {@code pid PID COMM} (an sshd process), {@code session PID}
     * (the sshd ancestor of the script), {@code sock PID STATE FILE LOCAL REMOTE} (a line of
     * /proc/net/tcp[6] for one of their sockets), {@code config PORT} and {@code env}.
     */
    public static final CommandFact FACT = new CommandFact("sshd:ports", String.join("\n",
            "s=",
            "for d in /proc/[0-9]*; do",
            "  IFS= read -r c 2>/dev/null <\"$d/comm\" || continue",
            "  case $c in sshd*) s=\"$s $d/fd\"; echo \"pid ${d#/proc/} $c\";; esac",
            "done",
            "p=$$; q=",
            "while [ \"${p:-1}\" -gt 1 ] 2>/dev/null; do",
            "  IFS= read -r c 2>/dev/null <\"/proc/$p/comm\" || break",
            "  case $c in sshd*)",
            "    echo \"session $p\"",
            // grep -z prints each match NUL-terminated; ProcSockets ends the value at the first NUL or
            // newline, which is where tr '\000' '\n' (an exec more) used to end the line. The echo ends
            // the line even when nothing matched (the tr read then ran the first listen-sock line onto it).
            "    [ -z \"$q\" ] || { printf 'session-env '; grep -az '^SSH_CONNECTION=' \"/proc/$q/environ\"; echo; }",
            "    break;; esac",
            "  IFS= read -r t 2>/dev/null <\"/proc/$p/stat\" || break",
            "  q=$p; t=${t##*) }; set -- $t; p=$2",
            "done",
            // Listening sockets come first in /proc/net/tcp; reading line by line and stopping at the
            // first other one spares the kernel a walk of the whole connection table.
            "for n in /proc/net/tcp /proc/net/tcp6; do",
            "  [ -r $n ] || continue",
            "  { IFS= read -r l; while IFS= read -r l; do set -- $l; [ \"$4\" = 0A ] || break; echo \"listen-sock $n $2 ${10}\"; done; } <$n",
            "done",
            "[ -z \"$s\" ] || { echo '@@fds'; ls -l /dev/null $s 2>/dev/null; echo '@@end'; }",
            "n=",
            "for x in /etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf; do",
            "  [ -r \"$x\" ] || continue; n=${n:-0}",
            "  while read -r k v _; do case $k in [Pp][Oo][Rr][Tt]) echo \"config $v\"; n=1;; esac; done <\"$x\"",
            "done",
            "[ \"$n\" != 0 ] || echo 'config 22'",
            "echo \"env ${SSH_CONNECTION:-}\""));

    /** The earlier read ({@code ss}, {@code sshd -T}): tagged {@code listen}, {@code conn}, {@code config} and {@code env}. */
    public static final CommandFact LEGACY = new CommandFact("sshd:ports", String.join("\n",
            "if command -v ss >/dev/null 2>&1; then",
            "  ss -Htlnp 2>/dev/null | grep '\"sshd' | sed 's/^/listen /'",
            "  p=$$",
            "  while [ \"${p:-1}\" -gt 1 ] 2>/dev/null; do",
            "    case \"$(cat /proc/$p/comm 2>/dev/null)\" in",
            "      sshd*) ss -Htnp state established 2>/dev/null | grep \"pid=$p,\" | sed 's/^/conn /'; break;;",
            "    esac",
            "    p=$(sed 's/.*) //' /proc/$p/stat 2>/dev/null | cut -d' ' -f2)",
            "  done",
            "fi",
            "sshd -T 2>/dev/null | sed -n 's/^port /config /p'",
            "echo \"env ${SSH_CONNECTION:-}\""));

    private static final Pattern ADDR_PORT = Pattern.compile("^(.*):(\\d+)$");

    public static SshPorts parse(CommandOutput out) {
        Set<Integer> listening = new TreeSet<>();
        Set<Integer> configured = new TreeSet<>();
        Integer conn = null;
        String peer = null;
        String local = null;
        ProcSockets proc = ProcSockets.parse(out.stdout());
        for (ProcSockets.Listener k : proc.sshdListening()) {
            if (!Addresses.loopback(k.address())) listening.add(k.port());
        }
        String[] own = proc.sessionConnection();
        if (own != null) {
            peer = own[0];
            local = own[2];
            conn = Integer.parseInt(own[3]);
        }
        for (String line : out.stdout().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 2) continue;
            if (f[0].equals("listen") && line.contains("((\"sshd\"")) {
                List<String[]> ap = addrPorts(f);
                if (!ap.isEmpty() && !Addresses.loopback(ap.get(0)[0])) listening.add(Integer.parseInt(ap.get(0)[1]));
            } else if (f[0].equals("conn") && conn == null) {
                List<String[]> ap = addrPorts(f);
                if (ap.size() >= 2) {
                    local = ap.get(0)[0];
                    conn = Integer.parseInt(ap.get(0)[1]);
                    peer = ap.get(1)[0];
                }
            } else if (f[0].equals("config") && f[1].matches("\\d{1,5}")) {
                configured.add(Integer.parseInt(f[1]));
            } else if (f[0].equals("env") && f.length == 5 && conn == null && f[4].matches("\\d{1,5}")) {
                peer = f[1];
                local = f[3];
                conn = Integer.parseInt(f[4]);
            }
        }
        return new SshPorts(listening, configured, conn, peer, local);
    }

    /** The tokens of an ss line that are ADDRESS:PORT, split (brackets and %iface removed). */
    private static List<String[]> addrPorts(String[] tokens) {
        List<String[]> out = new ArrayList<>();
        for (int i = 1; i < tokens.length; i++) {
            Matcher m = ADDR_PORT.matcher(tokens[i]);
            if (!m.matches()) continue;
            String a = m.group(1);
            if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1);
            int pct = a.indexOf('%');
            if (pct >= 0) a = a.substring(0, pct);
            out.add(new String[] {a, m.group(2)});
        }
        return out;
    }

    /** Whether the ports had to be assumed (nothing was detected). */
    public boolean guessed() {
        return listening.isEmpty() && configured.isEmpty() && connection == null;
    }

    /** The ports a firewall must keep open for moat to reach the host again. */
    public Set<Integer> required() {
        Set<Integer> p = new TreeSet<>(listening.isEmpty() ? configured : listening);
        if (connection != null) p.add(connection);
        if (p.isEmpty()) p.add(22);
        return p;
    }
}
