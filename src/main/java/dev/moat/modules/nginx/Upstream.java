package dev.moat.modules.nginx;

import java.util.Locale;

/**
 * Where a vhost proxies to: {@code host:port}, by default required to be on loopback, since the
 * vault exists to put the only public door in front of a service that listens on 127.0.0.1.
 * {@link #parse} accepts {@code 127.0.0.1:8000}, {@code localhost:8000}, {@code [::1]:8000} and a
 * bare port ({@code 8000} means {@code 127.0.0.1:8000}).
 */
public record Upstream(String host, int port) {
    public Upstream {
        if (host == null || !host.matches("\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("not a host name or address: '" + host + "'");
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 1-65535");
    }

    /**
     * Reads {@code text}; with {@code allowRemote} false a host other than loopback is refused.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    public static Upstream parse(String text, boolean allowRemote) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("http://")) t = t.substring(7);
        if (t.endsWith("/")) t = t.substring(0, t.length() - 1);
        Upstream u;
        if (t.matches("[0-9]+")) {
            u = new Upstream("127.0.0.1", port(t));
        } else {
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1 || !t.substring(colon + 1).matches("[0-9]+")) {
                throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (e.g. 127.0.0.1:8000)");
            }
            String host = t.substring(0, colon);
            if (host.contains(":") && !host.startsWith("[")) {
                throw new IllegalArgumentException("'" + text + "': write an IPv6 address in brackets, e.g. [::1]:8000");
            }
            u = new Upstream(host, port(t.substring(colon + 1)));
        }
        if (!allowRemote && !u.loopback()) {
            throw new IllegalArgumentException("upstream '" + text + "' is not on loopback; the vault fronts a service bound to"
                    + " 127.0.0.1 (set allow_remote_upstream: true to proxy to another host)");
        }
        return u;
    }

    private static int port(String digits) {
        if (digits.length() > 5) throw new IllegalArgumentException("port " + digits + " is not in 1-65535");
        return Integer.parseInt(digits);
    }

    /** Whether the host is a loopback address: 127.0.0.0/8, ::1 or localhost. */
    public boolean loopback() {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]")) return true;
        if (!h.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}")) return false;
        for (String part : h.split("\\.")) if (Integer.parseInt(part) > 255) return false;
        return true;
    }

    /** As nginx's {@code proxy_pass} takes it. */
    public String url() {
        return "http://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
