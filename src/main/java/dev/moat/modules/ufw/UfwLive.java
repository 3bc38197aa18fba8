package dev.moat.modules.ufw;

import dev.moat.facts.CommandFact;
import dev.moat.facts.CommandOutput;
import dev.moat.facts.FilterTable;
import dev.moat.module.TaskException;

/**
 * Whether ufw is installed and active, read without running ufw (a Python program: 80-100 ms of
 * CPU per call). Active means what {@code ufw status} means by it: ufw's chains are loaded in the
 * kernel. ufw decides that by listing {@code ufw-user-input}, {@code -output} and {@code -forward}
 * with {@code iptables -L} (exit 1: inactive; any other failure: an error), and the {@code ufw6-user-*}
 * chains too when {@code IPV6=yes}; the fact lists the filter table once per family
 * ({@code iptables -S}, about 1 ms) and looks for the same chains (IPv4 first, then IPv6). The IPv4
 * listing is {@link FilterTable}'s, made once per batched read ({@code -w 5}: waits for the legacy
 * backend's lock as the audit does, instead of failing while another program holds it).
 * {@code ENABLED} of {@code /etc/ufw/ufw.conf} (what ufw loads at boot) is read alongside but does not
 * decide: a host where ufw is enabled but not loaded is inactive, as ufw itself reports.
 *
 * <p>The fact keeps the key {@code ufw:status} so that every step that touches UFW still invalidates it.
 *
 * @param installed whether the {@code ufw} command exists
 * @param active    whether ufw's rules are loaded
 * @param error     why the state could not be read (as ufw would have failed), or null
 */
public record UfwLive(boolean installed, boolean active, String error) {
    public static final CommandFact FACT = new CommandFact("ufw:status", String.join("\n",
            "command -v ufw >/dev/null 2>&1 || { echo missing; exit 0; }",
            "u=; while read -r k v _; do case $k in Uid:) u=$v; break;; esac; done </proc/self/status",
            "[ \"$u\" = 0 ] || { echo notroot; exit 0; }",
            "e=; v=",
            "if [ -r /etc/ufw/ufw.conf ]; then while IFS= read -r l || [ -n \"$l\" ]; do case $l in ENABLED=*) e=${l#ENABLED=};; esac; done </etc/ufw/ufw.conf; fi",
            "if [ -r /etc/default/ufw ]; then while IFS= read -r l || [ -n \"$l\" ]; do case $l in IPV6=*) v=${l#IPV6=};; esac; done </etc/default/ufw; fi",
            "echo \"enabled $e\"; echo \"ipv6 $v\"",
            // One listing of the filter table per family answers for all three chains; the IPv4 one is
            // the batch's shared listing (FilterTable), which the audit's ufw and docker-user sections read too.
            FilterTable.FUNCTION,
            "chains() {",
            "  if [ $1 = 4 ]; then moat_ipt4 $2; else o=$($2 -S 2>&1); fi; r=$?",
            "  if [ $r != 0 ]; then echo \"$o\" >&2; echo \"list$1 - $r\"; exit 0; fi",
            "  for d in input output forward; do",
            "    case \"$o\n\" in *\"-N $3-$d\n\"*) echo \"chain$1 $d 0\";; *) echo \"chain$1 $d 1\"; exit 0;; esac",
            "  done",
            "}",
            "x=/usr/sbin/iptables; [ -x $x ] || x=iptables",
            "y=/usr/sbin/ip6tables; [ -x $y ] || y=ip6tables",
            "chains 4 $x ufw-user",
            "case $v in [Yy][Ee][Ss]|\\\"[Yy][Ee][Ss]\\\") [ ! -e /proc/sys/net/ipv6 ] || chains 6 $y ufw6-user;; esac"));

    /**
     * The state from the fact's output, or from {@code ufw status} output (the earlier read, kept
     * so recorded outputs and the comparison tests can use either).
     */
    public static UfwLive parse(CommandOutput out) {
        String first = out.stdout().lines().findFirst().orElse("").strip();
        if (first.startsWith("Status:") || out.rc() != 0) return fromStatus(out);
        if (first.equals("missing")) return new UfwLive(false, false, null);
        if (first.equals("notroot")) {
            return new UfwLive(true, false, "ufw status failed (exit 1): ERROR: You need to be root to run this script"
                    + " (the task needs become: true)");
        }
        boolean sawChain = false;
        for (String line : out.stdout().split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length != 3 || !(f[0].startsWith("chain") || f[0].startsWith("list"))) continue;
            sawChain = true;
            int rc = Integer.parseInt(f[2]);
            if (rc == 0) continue;
            boolean v4 = f[0].endsWith("4");
            // A missing IPv4 chain is "inactive"; a missing IPv6 chain, or a listing that failed, is ufw's error.
            if (rc == 1 && f[0].equals("chain4")) return new UfwLive(true, false, null);
            String why = out.stderr().strip();
            return new UfwLive(true, false, "ufw status failed (exit 1): ERROR: problem running "
                    + (v4 ? "iptables" : "ip6tables") + (why.isEmpty() ? "" : ": " + why));
        }
        if (!sawChain) return new UfwLive(true, false, "reading ufw's state failed: " + abbreviate(out.stdout() + out.stderr()));
        return new UfwLive(true, true, null);
    }

    /** From {@code ufw status [verbose]} output. */
    static UfwLive fromStatus(CommandOutput status) {
        String first = status.stdout().lines().findFirst().orElse("").strip();
        if (status.ok() && first.equals("Status: active")) return new UfwLive(true, true, null);
        if (status.ok() && first.equals("Status: inactive")) return new UfwLive(true, false, null);
        if (status.rc() == 127 || status.stderr().contains("not found")) return new UfwLive(false, false, null);
        String why = (status.stderr() + status.stdout()).strip();
        return new UfwLive(true, false, "ufw status failed (exit " + status.rc() + "): " + (why.isEmpty() ? "no output" : why)
                + (why.contains("root") ? " (the task needs become: true)" : ""));
    }

    /** The state, or the error a task reports: ufw missing (unless {@code lenient}) or unreadable. */
    public UfwLive require(boolean lenient) throws TaskException {
        if (error != null) throw new TaskException(error);
        if (!installed && !lenient) throw new TaskException("ufw is not installed on this host (install the ufw package first)");
        return this;
    }

    private static String abbreviate(String s) {
        s = s.strip();
        return s.isEmpty() ? "no output" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
