package dev.moat.transport.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What moat does with the OpenSSH arguments an inventory gives ({@code ansible_ssh_common_args},
 * {@code ansible_ssh_extra_args}): each is implemented, harmless to go without, or refused by name.
 * Never ignored silently: an option that changes where or how securely moat connects
 * ({@code ForwardAgent}, {@code -F}) would otherwise be dropped without a word.
 */
public final class SshArgs {
    private SshArgs() {}

    /** {@code -o} options moat implements. */
    static final Set<String> IMPLEMENTED = Set.of("proxyjump", "proxycommand", "userknownhostsfile", "stricthostkeychecking");

    /** {@code -o} options about OpenSSH's own connection handling that moat, one connection per host, does not need. */
    static final Set<String> NOT_NEEDED = Set.of("controlmaster", "controlpersist", "controlpath", "serveraliveinterval",
            "serveralivecountmax", "tcpkeepalive", "compression", "loglevel");

    /**
     * The problems with {@code args}, one sentence each (empty: moat can honour them all).
     * {@code acceptNewHostKeys}: whether the user gave {@code --accept-new-host-keys}, without which
     * {@code StrictHostKeyChecking=no} (or {@code accept-new}) is refused: moat never turns host key
     * checking off because an inventory says so.
     */
    public static List<String> problems(String args, boolean acceptNewHostKeys) {
        List<String> out = new ArrayList<>();
        if (args == null || args.isBlank()) return out;
        List<String> w = ProxyJumps.shellWords(args);
        for (int i = 0; i < w.size(); i++) {
            String a = w.get(i);
            if (a.equals("-J") || a.equals("-o")) {
                if (++i >= w.size()) out.add("'" + a + "' needs a value");
                else if (a.equals("-o")) option(w.get(i), acceptNewHostKeys, out);
            } else if (a.startsWith("-J")) {
                // -Jhost: a jump host
            } else if (a.startsWith("-o")) {
                option(a.substring(2), acceptNewHostKeys, out);
            } else if (a.equals("-C") || a.equals("-q")) {
                // compression, quiet: not needed
            } else {
                out.add("ssh argument '" + a + "' is not supported by moat (it takes -J and -o with ProxyJump, ProxyCommand,"
                        + " UserKnownHostsFile and StrictHostKeyChecking; connection options moat does not need are accepted)");
            }
        }
        return out;
    }

    private static void option(String opt, boolean acceptNew, List<String> out) {
        List<String> kv = SshConfig.words(opt);
        String key = kv.isEmpty() ? "" : kv.get(0).toLowerCase(Locale.ROOT);
        String value = kv.size() < 2 ? "" : String.join(" ", kv.subList(1, kv.size()));
        if (NOT_NEEDED.contains(key)) return;
        if (!IMPLEMENTED.contains(key)) {
            out.add("ssh option '" + (kv.isEmpty() ? opt : kv.get(0)) + "' is not supported by moat (it takes ProxyJump, ProxyCommand,"
                    + " UserKnownHostsFile and StrictHostKeyChecking, and accepts " + String.join(", ", sorted(NOT_NEEDED)) + " as not needed)");
            return;
        }
        if (key.equals("stricthostkeychecking")) {
            String v = value.toLowerCase(Locale.ROOT);
            if ((v.equals("no") || v.equals("off") || v.equals("accept-new")) && !acceptNew) {
                out.add("StrictHostKeyChecking=" + value + " would trust unknown host keys: moat refuses it unless you give --accept-new-host-keys"
                        + " (which records a new key and still refuses a changed one)");
            }
        }
    }

    private static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        java.util.Collections.sort(l);
        return l;
    }
}
