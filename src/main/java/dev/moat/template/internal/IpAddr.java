package dev.moat.template.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The {@code ansible.utils.ipaddr} family (the forms firewall roles use): {@code ipaddr},
 * {@code ipv4}, {@code ipv6} with a query ({@code address}, {@code network}, {@code netmask},
 * {@code prefix}, {@code broadcast}, {@code network/prefix}, {@code host}, {@code private},
 * {@code public}, {@code size}, ...; a network as query keeps the values inside it; a number picks
 * the n-th address), {@code nthhost}, {@code network_in_usable}, {@code network_in_network} and the
 * tests {@code ipaddr}, {@code ipv4}, {@code ipv6}, {@code in_network}. Semantics are those of
 * ansible.utils 2.x on netaddr: an invalid value is {@code False}, a query that does not apply is
 * none.
 */
final class IpAddr {
    private IpAddr() {}

    /** An address with its prefix, as netaddr's IPNetwork: {@code 192.168.1.10/24}. */
    record Net(int version, BigInteger ip, int prefix) {
        int bits() {
            return version == 4 ? 32 : 128;
        }

        BigInteger mask() {
            return BigInteger.ONE.shiftLeft(bits()).subtract(BigInteger.ONE).xor(hostmask());
        }

        BigInteger hostmask() {
            return BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE);
        }

        BigInteger network() {
            return ip.and(mask());
        }

        BigInteger last() {
            return network().or(hostmask());
        }

        BigInteger size() {
            return BigInteger.ONE.shiftLeft(bits() - prefix);
        }

        /** netaddr has no broadcast for an IPv4 /31 or /32. */
        BigInteger broadcast() {
            return version == 4 && bits() - prefix <= 1 ? null : last();
        }

        boolean contains(Net other) {
            return other.version == version && other.prefix >= prefix && other.network().and(mask()).equals(network());
        }

        String addr(BigInteger v) {
            return format(version, v);
        }

        @Override
        public String toString() {
            return addr(ip) + "/" + prefix;
        }
    }

    static List<NamedFilter> filters() {
        List<NamedFilter> f = new ArrayList<>();
        f.add(new NamedFilter("ipaddr", (v, a, k) -> ipaddr(v, query(a, k), 0, "ipaddr")));
        f.add(new NamedFilter("ipv4", (v, a, k) -> ipaddr(v, query(a, k), 4, "ipv4")));
        f.add(new NamedFilter("ipv6", (v, a, k) -> ipaddr(v, query(a, k), 6, "ipv6")));
        f.add(new NamedFilter("nthhost", (v, a, k) -> {
            Net n = parse(str(v));
            if (n == null) return false;
            BigInteger nth = BigInteger.valueOf(AnsibleFilters.toInt(AnsibleFilters.arg(a, k, 0, "query", 0)));
            BigInteger at = nth.signum() >= 0 ? n.network().add(nth) : n.last().add(BigInteger.ONE).add(nth);
            if (at.compareTo(n.network()) < 0 || at.compareTo(n.last()) > 0) return false;
            return n.addr(at);
        }));
        f.add(new NamedFilter("network_in_usable", (v, a, k) -> {
            Net net = require(v);
            Net test = require(AnsibleFilters.arg(a, k, 0, "test", null));
            BigInteger first = net.size().compareTo(BigInteger.TWO) > 0 ? net.network().add(BigInteger.ONE) : net.network();
            BigInteger last = net.size().compareTo(BigInteger.TWO) > 0 ? net.last().subtract(BigInteger.ONE) : net.last();
            Net t = new Net(test.version(), test.network(), test.prefix());
            return t.version() == net.version() && t.network().compareTo(first) >= 0 && t.last().compareTo(last) <= 0;
        }));
        f.add(new NamedFilter("network_in_network", (v, a, k) -> require(v).contains(require(AnsibleFilters.arg(a, k, 0, "test", null)))));
        return f;
    }

    static List<com.hubspot.jinjava.lib.exptest.ExpTest> tests() {
        List<com.hubspot.jinjava.lib.exptest.ExpTest> t = new ArrayList<>();
        t.add(new AnsibleTests.NamedTest("ip", (v, a, k) -> parse(str(v)) != null));
        t.add(new AnsibleTests.NamedTest("ip_address", (v, a, k) -> !str(v).contains("/") && parse(str(v)) != null));
        t.add(new AnsibleTests.NamedTest("ipv4", (v, a, k) -> version(v) == 4));
        t.add(new AnsibleTests.NamedTest("ipv6", (v, a, k) -> version(v) == 6));
        t.add(new AnsibleTests.NamedTest("ipv4_address", (v, a, k) -> !str(v).contains("/") && version(v) == 4));
        t.add(new AnsibleTests.NamedTest("ipv6_address", (v, a, k) -> !str(v).contains("/") && version(v) == 6));
        t.add(new AnsibleTests.NamedTest("in_network", (v, a, k) -> {
            Net n = parse(str(v));
            Net in = parse(str(a.isEmpty() ? k.get("test") : a.get(0)));
            return n != null && in != null && in.contains(n);
        }));
        return t;
    }

    private static int version(Object v) {
        Net n = parse(str(v));
        return n == null ? 0 : n.version();
    }

    private static Object query(Object[] a, Map<String, Object> k) {
        return AnsibleFilters.arg(a, k, 0, "query", "");
    }

    private static Net require(Object v) {
        Net n = parse(str(v));
        if (n == null) throw AnsibleFilters.fail("not a valid IP address or network: '" + str(v) + "'");
        return n;
    }

    /** {@code value | ipaddr(query)}: a list keeps the truthy answers of its items. */
    static Object ipaddr(Object value, Object queryArg, int version, String alias) {
        String query = queryArg == null ? "" : str(queryArg);
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) {
                Object r = ipaddr(o, query, version, alias);
                if (AnsibleFilters.truthy(r)) out.add(r);
            }
            return out;
        }
        if (value == null || Boolean.TRUE.equals(value) || (value instanceof String s && s.isEmpty())) return false;
        String text = str(value);
        Net v;
        String vtype;
        if (text.chars().allMatch(Character::isDigit)) {
            BigInteger n = new BigInteger(text);
            int ver = version == 6 || n.bitLength() > 32 ? 6 : 4;
            if (n.bitLength() > 128) return false;
            v = new Net(ver, n, ver == 4 ? 32 : 128);
            vtype = "address";
        } else {
            v = parse(text);
            if (v == null) return false;
            vtype = text.contains("/") ? "network" : "address";
        }
        Net lookup = null;
        if (!query.isEmpty() && !KNOWN.contains(query) && !query.chars().allMatch(Character::isDigit)) {
            lookup = parse(query);
            if (lookup != null) query = "cidr_lookup";
        }
        if (version != 0 && v.version() != version) return false;
        return answer(v, vtype, query, value, lookup, alias);
    }

    private static final List<String> KNOWN = List.of("", "address", "ip", "host", "network", "network_id", "netmask",
            "hostmask", "wildcard", "prefix", "broadcast", "network/prefix", "subnet", "cidr", "net", "size", "size_usable",
            "private", "public", "address/prefix", "host/prefix", "gateway", "gw", "router", "hostnet", "ip/prefix",
            "ip_netmask", "network_netmask", "network_wildcard", "ipv4", "ipv6", "v4", "v6", "version", "type", "bool",
            "int", "first_usable", "last_usable", "range_usable", "loopback", "lo", "multicast", "unicast", "link-local");

    private static Object answer(Net v, String vtype, String query, Object value, Net lookup, String alias) {
        BigInteger size = v.size();
        boolean isNet = v.ip().equals(v.network());
        switch (query) {
            case "": return vtype.equals("address") ? v.addr(v.ip()) : v.toString();
            case "address": case "ip":
                if (size.equals(BigInteger.ONE)) return v.addr(v.ip());
                if (!isNet || v.broadcast() == null || v.version() == 6) return v.addr(v.ip());
                return null;
            case "host":
                if (size.equals(BigInteger.ONE)) return v.toString();
                return !isNet || v.broadcast() == null ? v.toString() : null;
            case "network": case "network_id": return v.addr(v.network());
            case "netmask": return v.addr(v.mask());
            case "hostmask": case "wildcard": return v.addr(v.hostmask());
            case "prefix": return v.prefix();
            case "broadcast": return size.compareTo(BigInteger.TWO) > 0 ? v.addr(v.broadcast()) : null;
            case "network/prefix": case "subnet": return v.addr(v.network()) + "/" + v.prefix();
            case "cidr": return v.toString();
            case "net": return size.compareTo(BigInteger.ONE) > 0 && isNet ? v.addr(v.network()) + "/" + v.prefix() : null;
            case "size": return Plain.of(size.longValue());
            case "size_usable":
                if (size.equals(BigInteger.ONE)) return 0;
                return Plain.of(size.equals(BigInteger.TWO) ? 2 : size.longValue() - 2);
            case "private": return isPrivate(v) ? value : null;
            case "public": return isPublic(v) ? value : null;
            case "address/prefix": case "host/prefix": case "gateway": case "gw": case "router": case "hostnet":
                if (size.compareTo(BigInteger.TWO) > 0 && (v.ip().equals(v.network()) || v.ip().equals(v.broadcast()))) return false;
                return v.addr(v.ip()) + "/" + v.prefix();
            case "ip/prefix":
                if (size.equals(BigInteger.TWO) || (size.compareTo(BigInteger.ONE) > 0 && !isNet)) return v.addr(v.ip()) + "/" + v.prefix();
                return null;
            case "ip_netmask":
                if (size.equals(BigInteger.TWO) || (size.compareTo(BigInteger.ONE) > 0 && !isNet)) return v.addr(v.ip()) + " " + v.addr(v.mask());
                return null;
            case "network_netmask": return v.addr(v.network()) + " " + v.addr(v.mask());
            case "network_wildcard": return v.addr(v.network()) + " " + v.addr(v.hostmask());
            case "ipv4": case "v4": return v.version() == 4 ? value : null;
            case "ipv6": case "v6": return v.version() == 6 ? value : null;
            case "version": return v.version();
            case "type": return size.equals(BigInteger.ONE) ? "address" : isNet ? "network" : "address";
            case "bool": return true;
            case "int": return vtype.equals("address") ? Plain.of(v.ip()) : v.ip() + "/" + v.prefix();
            case "first_usable": case "last_usable": case "range_usable": {
                if (vtype.equals("address")) throw AnsibleFilters.fail("Not a network address");
                if (size.equals(BigInteger.ONE)) return null;
                BigInteger first = size.equals(BigInteger.TWO) ? v.network() : v.network().add(BigInteger.ONE);
                BigInteger last = size.equals(BigInteger.TWO) ? v.last() : v.last().subtract(BigInteger.ONE);
                if (query.equals("first_usable")) return v.addr(first);
                if (query.equals("last_usable")) return v.addr(last);
                return v.addr(first) + "-" + v.addr(last);
            }
            case "loopback": case "lo":
                return (v.version() == 4 ? in(v, "127.0.0.0/8") : v.ip().equals(BigInteger.ONE)) ? value : null;
            case "multicast": return isMulticast(v) ? value : null;
            case "unicast": return isMulticast(v) ? null : value;
            case "link-local": return (v.version() == 4 ? in(v, "169.254.0.0/16") : in(v, "fe80::/10")) ? value : null;
            case "cidr_lookup": return lookup.contains(v) ? value : null;
            default:
                if (query.chars().allMatch(Character::isDigit)) {
                    if (size.equals(BigInteger.ONE)) return vtype.equals("address") ? v.addr(v.ip()) : v.toString();
                    BigInteger at = v.network().add(new BigInteger(query));
                    if (at.compareTo(v.last()) > 0) return false;
                    return v.addr(at) + "/" + v.prefix();
                }
                throw AnsibleFilters.fail(alias + ": unknown filter type: " + query);
        }
    }

    private static boolean isPrivate(Net v) {
        if (v.version() == 4) {
            for (String c : List.of("10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16",
                    "198.18.0.0/15", "239.0.0.0/8", "169.254.0.0/16")) {
                if (in(v, c)) return true;
            }
            return false;
        }
        return in(v, "fc00::/7") || in(v, "fec0::/10") || in(v, "fe80::/10");
    }

    private static boolean isPublic(Net v) {
        BigInteger ip = v.ip();
        BigInteger max = BigInteger.ONE.shiftLeft(v.bits()).subtract(BigInteger.ONE);
        boolean hostmask = ip.add(BigInteger.ONE).and(ip).signum() == 0;
        BigInteger inv = ip.xor(max).add(BigInteger.ONE);
        boolean netmask = inv.and(inv.subtract(BigInteger.ONE)).signum() == 0;
        boolean loopback = v.version() == 4 ? in(v, "127.0.0.0/8") : ip.equals(BigInteger.ONE);
        return !isMulticast(v) && !isPrivate(v) && !loopback && !netmask && !hostmask;
    }

    private static boolean isMulticast(Net v) {
        return v.version() == 4 ? in(v, "224.0.0.0/4") : in(v, "ff00::/8");
    }

    private static boolean in(Net v, String cidr) {
        Net n = parse(cidr);
        return n.version() == v.version() && v.ip().and(n.mask()).equals(n.network());
    }

    /** netaddr's IPNetwork(text), or null when it is not an address or network. */
    static Net parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        BigInteger ip = addr.contains(":") ? parse6(addr) : parse4(addr);
        if (ip == null) return null;
        int version = addr.contains(":") ? 6 : 4;
        int bits = version == 4 ? 32 : 128;
        int prefix = bits;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (p.matches("\\d{1,3}")) prefix = Integer.parseInt(p);
            else if (version == 4 && parse4(p) != null) prefix = maskBits(parse4(p));
            else return null;
            if (prefix < 0 || prefix > bits) return null;
        }
        return new Net(version, ip, prefix);
    }

    private static int maskBits(BigInteger mask) {
        int n = mask.bitCount();
        BigInteger expect = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE).xor(BigInteger.ONE.shiftLeft(32 - n).subtract(BigInteger.ONE));
        return expect.equals(mask) ? n : -1;
    }

    private static BigInteger parse4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        long v = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}")) return null;
            int o = Integer.parseInt(p);
            if (o > 255) return null;
            v = (v << 8) | o;
        }
        return BigInteger.valueOf(v);
    }

    private static BigInteger parse6(String s) {
        String str = s;
        BigInteger tail = null;
        int lastColon = str.lastIndexOf(':');
        if (str.indexOf('.', lastColon) > 0) { // an IPv4 tail: ::ffff:1.2.3.4
            tail = parse4(str.substring(lastColon + 1));
            if (tail == null) return null;
            str = str.substring(0, lastColon + 1) + "0:0";
        }
        int dbl = str.indexOf("::");
        if (dbl != str.lastIndexOf("::")) return null;
        List<String> groups = new ArrayList<>();
        if (dbl >= 0) {
            List<String> left = str.substring(0, dbl).isEmpty() ? List.of() : List.of(str.substring(0, dbl).split(":", -1));
            List<String> right = str.substring(dbl + 2).isEmpty() ? List.of() : List.of(str.substring(dbl + 2).split(":", -1));
            if (left.size() + right.size() > 7) return null;
            groups.addAll(left);
            for (int i = 0; i < 8 - left.size() - right.size(); i++) groups.add("0");
            groups.addAll(right);
        } else {
            groups.addAll(List.of(str.split(":", -1)));
        }
        if (groups.size() != 8) return null;
        BigInteger v = BigInteger.ZERO;
        for (String g : groups) {
            if (!g.matches("[0-9a-fA-F]{1,4}")) return null;
            v = v.shiftLeft(16).or(BigInteger.valueOf(Integer.parseInt(g, 16)));
        }
        if (tail != null) v = v.shiftRight(32).shiftLeft(32).or(tail);
        return v;
    }

    /** An address as netaddr prints it: dotted quad, or compact IPv6 (longest run of zero groups as ::). */
    static String format(int version, BigInteger v) {
        if (version == 4) {
            long x = v.longValue();
            return ((x >> 24) & 255) + "." + ((x >> 16) & 255) + "." + ((x >> 8) & 255) + "." + (x & 255);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = v.shiftRight(16 * (7 - i)).intValue() & 0xffff;
        return dev.moat.Ipv6Text.of(g);
    }

    private static String str(Object v) {
        if (v == null) return "";
        return PyRepr.str(v);
    }
}
