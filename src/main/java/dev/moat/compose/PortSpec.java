package dev.moat.compose;

import java.util.Locale;

/**
 * One published port after interpolation, in Docker's terms: the host address ({@code null} when
 * none is given, i.e. every interface), the host port(s) ({@code null} when Docker picks a random
 * one), the container port(s) and the protocol ({@code null} = tcp).
 *
 * <p>{@link #parseShort(String)} follows Docker's own reading ({@code nat.ParsePortSpec}): the last
 * colon-separated part is the container port with an optional {@code /proto}, the one before it the
 * host port, and everything before that the address, so {@code ::1:8000:8000} and
 * {@code [::1]:8000:8000} both name ::1.
 */
public record PortSpec(String hostIp, PortRange host, PortRange container, String protocol) {
    public PortSpec {
        if (container == null) throw new IllegalArgumentException("container port required");
        if (hostIp != null && hostIp.isEmpty()) hostIp = null;
    }

    /** The three parts of a short entry as written: address (null if absent), host port (null if absent), container[/proto]. */
    public record Parts(String ip, String host, String container) {}

    /** Splits the way Docker does; a colon inside {@code ${...}} does not split when {@code raw}. */
    public static Parts split(String s, boolean raw) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (raw && c == '$' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == '$') { i++; continue; }
                if (n == '{') { depth++; i++; continue; }
            }
            if (raw && c == '}' && depth > 0) { depth--; continue; }
            if (c == ':' && depth == 0) {
                parts.add(s.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(s.substring(from));
        int n = parts.size();
        String container = parts.get(n - 1);
        if (n == 1) return new Parts(null, null, container);
        if (n == 2) return new Parts(null, parts.get(0), container);
        return new Parts(String.join(":", parts.subList(0, n - 2)), parts.get(n - 2), container);
    }

    /** Reads an interpolated short entry such as {@code 127.0.0.1:8000-8001:8000-8001/udp}. */
    public static PortSpec parseShort(String s) throws PortSyntaxException {
        String t = s.trim();
        if (t.isEmpty()) throw new PortSyntaxException("empty port entry");
        Parts p = split(t, false);
        String c = p.container();
        String proto = null;
        int slash = c.indexOf('/');
        if (slash >= 0) {
            proto = c.substring(slash + 1);
            c = c.substring(0, slash);
        }
        String ip = p.ip();
        if (ip != null && !ip.isEmpty()) {
            if (ip.startsWith("[") != ip.endsWith("]")) throw new PortSyntaxException("'" + s + "': bad IP address " + ip);
            if (!Ip.isIp(ip)) throw new PortSyntaxException("'" + s + "': invalid IP address " + ip);
            ip = Ip.strip(ip);
        }
        PortRange host = p.host() == null || p.host().isEmpty() ? null : PortRange.parse(p.host());
        return of(s, ip, host, PortRange.parse(c), proto);
    }

    /** Builds and checks a spec from its parts (long syntax goes through here too). */
    public static PortSpec of(String what, String ip, PortRange host, PortRange container, String proto) throws PortSyntaxException {
        if (proto != null) {
            proto = proto.toLowerCase(Locale.ROOT);
            if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
                throw new PortSyntaxException("'" + what + "': unknown protocol " + proto);
            }
        }
        if (host != null && container.size() > 1 && host.size() != container.size()) {
            throw new PortSyntaxException("'" + what + "': host and container port ranges differ in length");
        }
        return new PortSpec(ip, host, container, proto);
    }

    /** Published on loopback only: an address in 127.0.0.0/8 or ::1. */
    public boolean loopback() {
        return hostIp != null && Ip.isLoopback(hostIp);
    }

    /** The canonical short form, with the address bracketed when IPv6. */
    public String toShort() {
        String base = (hostIp == null ? "" : Ip.forShortSyntax(hostIp) + ":")
                + (host == null ? (hostIp == null ? "" : ":") : host + ":") + container;
        return protocol == null ? base : base + "/" + protocol;
    }
}
