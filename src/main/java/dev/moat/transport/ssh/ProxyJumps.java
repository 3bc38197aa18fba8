package dev.moat.transport.ssh;

import dev.moat.transport.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads bastion chains the way OpenSSH writes them: a {@code ProxyJump} value
 * ({@code [user@]host[:port][,...]}, {@code ssh://} URIs, {@code [v6addr]:port}) and the ssh
 * arguments of Ansible's {@code ansible_ssh_common_args} / {@code ansible_ssh_extra_args}
 * ({@code -o ProxyJump=...}, {@code -J ...}, and the older {@code -o ProxyCommand="ssh -W %h:%p
 * [-p port] [user@]bastion"}). The result is {@link Endpoint#jump()}: outermost bastion first. Any
 * other ProxyCommand is run as a process ({@link #commandFromSshArgs}, {@link ProxyCommand}).
 *
 * <pre>
 * ansible_ssh_common_args: '-o ProxyJump=ops@bastion.example.net:2222'
 * </pre>
 */
public final class ProxyJumps {
    private ProxyJumps() {}

    /** The hops of one {@code ProxyJump} value; empty for {@code none}. */
    public static List<Endpoint> parse(String spec) {
        List<Endpoint> hops = new ArrayList<>();
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) return hops;
        for (String hop : spec.split(",")) {
            String h = hop.strip();
            if (h.isEmpty()) continue;
            hops.add(hop(h));
        }
        return hops;
    }

    private static Endpoint hop(String s) {
        String h = s.startsWith("ssh://") ? s.substring(6) : s;
        if (h.endsWith("/")) h = h.substring(0, h.length() - 1);
        String user = null;
        int at = h.lastIndexOf('@');
        if (at >= 0) {
            user = h.substring(0, at);
            h = h.substring(at + 1);
        }
        int port = 0;
        String host = h;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("bad ProxyJump host: " + s);
            host = h.substring(1, close);
            if (h.length() > close + 1 && h.charAt(close + 1) == ':') port = port(h.substring(close + 2), s);
        } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
            host = h.substring(0, h.indexOf(':'));
            port = port(h.substring(h.indexOf(':') + 1), s);
        }
        if (host.isEmpty()) throw new IllegalArgumentException("bad ProxyJump host: " + s);
        return new Endpoint(host, host, port, user, null, null, List.of());
    }

    private static int port(String p, String spec) {
        try {
            int n = Integer.parseInt(p);
            if (n > 0 && n < 65536) return n;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("bad port in ProxyJump " + spec);
    }

    /**
     * The bastion chain named in an ssh argument string such as Ansible's
     * {@code ansible_ssh_common_args}; empty when it names none. The first ProxyJump (or -J) wins,
     * as in OpenSSH.
     *
     * @throws IllegalArgumentException on a malformed host or port
     */
    public static List<Endpoint> fromSshArgs(String args) {
        if (args == null) return List.of();
        List<String> w = shellWords(args);
        for (int i = 0; i < w.size(); i++) {
            String a = w.get(i);
            String value = null;
            if (a.equals("-J") && i + 1 < w.size()) value = w.get(++i);
            else if (a.startsWith("-J") && a.length() > 2) value = a.substring(2);
            else if (a.equals("-o") && i + 1 < w.size()) value = option(w.get(++i));
            else if (a.startsWith("-o") && a.length() > 2) value = option(a.substring(2));
            if (value != null) return value.startsWith("proxycommand:") ? proxyCommand(value.substring(13)) : parse(value);
        }
        return List.of();
    }

    /** The ProxyJump value of {@code -o} argument {@code opt}, "proxycommand:..." for a ProxyCommand, else null. */
    private static String option(String opt) {
        List<String> kv = SshConfig.words(opt);
        if (kv.size() < 2) return null;
        String key = kv.get(0).toLowerCase(Locale.ROOT);
        String value = String.join(" ", kv.subList(1, kv.size()));
        if (key.equals("proxyjump")) return value;
        if (key.equals("proxycommand")) return "proxycommand:" + proxyCommandText(opt);
        return null;
    }

    /** The command of {@code -o ProxyCommand=CMD} (or {@code ProxyCommand CMD}), as written. */
    static String proxyCommandText(String opt) {
        return opt.substring(opt.toLowerCase(Locale.ROOT).indexOf("proxycommand") + 12).replaceFirst("^\\s*=?\\s*", "");
    }

    /** Whether {@code words} are the one ProxyCommand form moat implements: {@code ssh ... -W %h:%p ...}. */
    static boolean sshW(List<String> words) {
        return !words.isEmpty() && words.get(0).endsWith("ssh") && words.contains("-W");
    }

    /**
     * The ProxyCommand of an ssh argument string (the first {@code -o ProxyCommand=}) when it is one
     * moat runs as a process, that is not {@code ssh -W} (which {@link #fromSshArgs} makes a bastion),
     * and no ProxyJump came first; else null.
     */
    public static String commandFromSshArgs(String args) {
        if (args == null) return null;
        List<String> w = shellWords(args);
        for (int i = 0; i < w.size(); i++) {
            String a = w.get(i);
            String value = null;
            if (a.startsWith("-J")) return null;
            else if (a.equals("-o") && i + 1 < w.size()) value = option(w.get(++i));
            else if (a.startsWith("-o") && a.length() > 2) value = option(a.substring(2));
            if (value != null) {
                if (!value.startsWith("proxycommand:")) return null;
                String cmd = value.substring(13);
                return cmd.strip().equalsIgnoreCase("none") || sshW(shellWords(cmd)) ? null : cmd;
            }
        }
        return null;
    }

    /** The bastion of a ProxyCommand {@code ssh -W %h:%p [user@]bastion}; empty for any other command. */
    public static List<Endpoint> fromProxyCommand(String cmd) {
        return proxyCommand(cmd);
    }

    /** {@code ssh [-q] [-p port] [-l user] [-i key] -W %h:%p [user@]host}: one hop; anything else: none. */
    private static List<Endpoint> proxyCommand(String cmd) {
        List<String> w = shellWords(cmd);
        if (!sshW(w)) return List.of();
        String user = null, host = null, key = null;
        int port = 0;
        for (int i = 1; i < w.size(); i++) {
            String a = w.get(i);
            if (a.equals("-p") && i + 1 < w.size()) port = port(w.get(++i), cmd);
            else if (a.equals("-l") && i + 1 < w.size()) user = w.get(++i);
            else if (a.equals("-i") && i + 1 < w.size()) key = w.get(++i);
            else if ((a.equals("-W") || a.equals("-o") || a.equals("-F")) && i + 1 < w.size()) i++;
            else if (!a.startsWith("-")) host = a;
        }
        if (host == null) return List.of();
        Endpoint e = hop(host);
        return List.of(new Endpoint(e.name(), e.address(), port > 0 ? port : e.port(),
                e.user() != null ? e.user() : user, key, null, List.of()));
    }

    /** POSIX-shell-like word splitting with single quotes, double quotes and backslashes. */
    static List<String> shellWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && i + 1 < s.length()) cur.append(s.charAt(++i));
                else cur.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                if (cur == null) cur = new StringBuilder();
            } else if (c == '\\' && i + 1 < s.length()) {
                if (cur == null) cur = new StringBuilder();
                cur.append(s.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (cur != null) out.add(cur.toString());
                cur = null;
            } else {
                if (cur == null) cur = new StringBuilder();
                cur.append(c);
            }
        }
        if (cur != null) out.add(cur.toString());
        return out;
    }
}
