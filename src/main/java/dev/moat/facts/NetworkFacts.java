package dev.moat.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's Linux network facts: the default routes ({@code ip route get} to Ansible's two probe
 * addresses, no traffic sent), every interface of {@code /sys/class/net} with its sysfs attributes,
 * and its addresses from {@code ip addr show primary|secondary dev X}, parsed as Ansible parses them.
 */
final class NetworkFacts {
    private NetworkFacts() {}

    private static final Map<String, String> TYPES = Map.of("1", "ether", "32", "infiniband", "512", "ppp", "772", "loopback", "65534", "tunnel");

    static void parse(Map<String, String> s, Map<String, Object> f) {
        Map<String, Object> v4 = route(s.getOrDefault("route4", ""), "8.8.8.8");
        Map<String, Object> v6 = route(s.getOrDefault("route6", ""), "2404:6800:400a:800::1012");
        Map<String, Map<String, Object>> ifaces = new LinkedHashMap<>();
        List<String> all4 = new ArrayList<>(), all6 = new ArrayList<>();
        Map<String, String> primary = byDevice(s.getOrDefault("ip-primary", ""));
        Map<String, String> secondary = byDevice(s.getOrDefault("ip-secondary", ""));
        for (Map.Entry<String, String> e : s.entrySet()) {
            if (!e.getKey().startsWith("iface ")) continue;
            String device = e.getKey().substring(6);
            iface(device, e.getValue(), ifaces);
            String mac = String.valueOf(ifaces.get(device).getOrDefault("macaddress", ""));
            addresses(device, primary.getOrDefault(device, ""), false, mac, ifaces, v4, v6, all4, all6);
            addresses(device, secondary.getOrDefault(device, ""), true, mac, ifaces, v4, v6, all4, all6);
        }
        f.put("interfaces", new ArrayList<>(ifaces.keySet().stream().map(n -> n.replace(':', '_')).toList()));
        for (Map.Entry<String, Map<String, Object>> e : ifaces.entrySet()) {
            f.put(e.getKey().replace(':', '_').replace('-', '_'), e.getValue());
        }
        f.put("default_ipv4", v4);
        f.put("default_ipv6", v6);
        f.put("all_ipv4_addresses", all4);
        f.put("all_ipv6_addresses", all6);
    }

    private static Map<String, Object> route(String out, String probe) {
        Map<String, Object> r = new TreeMap<>();
        List<String> lines = HostFactsParser.lines(out);
        if (lines.isEmpty()) return r;
        String[] w = lines.get(0).trim().split("\\s+");
        if (!w[0].equals(probe)) return r;
        for (int i = 0; i < w.length - 1; i++) {
            if (w[i].equals("dev")) r.put("interface", w[i + 1]);
            else if (w[i].equals("src")) r.put("address", w[i + 1]);
            else if (w[i].equals("via") && !w[i + 1].equals(probe)) r.put("gateway", w[i + 1]);
        }
        return r;
    }

    /** {@code ip addr show} output cut into each interface's lines, by its "N: name[@link]:" header. */
    private static Map<String, String> byDevice(String out) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher header = Pattern.compile("(?m)^\\d+: ([^:@\\s]+)(?:@\\S+)?:").matcher(out);
        String device = null;
        int start = 0;
        while (header.find()) {
            if (device != null) blocks.put(device, out.substring(start, header.start()));
            device = header.group(1);
            start = header.end();
        }
        if (device != null) blocks.put(device, out.substring(start));
        return blocks;
    }

    private static void iface(String device, String text, Map<String, Map<String, Object>> ifaces) {
        Map<String, Object> d = ifaces.computeIfAbsent(device, k -> new TreeMap<>());
        d.put("device", device);
        Map<String, String> attr = new LinkedHashMap<>();
        for (String l : text.split("\n")) {
            int i = l.indexOf('=');
            if (i > 0) attr.put(l.substring(0, i), l.substring(i + 1).strip());
        }
        String mac = attr.getOrDefault("address", "");
        if (!mac.isEmpty() && !mac.equals("00:00:00:00:00:00")) d.put("macaddress", mac);
        if (present(attr, "mtu")) d.put("mtu", Integer.parseInt(attr.get("mtu")));
        if (attr.containsKey("operstate")) d.put("active", !attr.get("operstate").equals("down"));
        if (present(attr, "module")) d.put("module", attr.get("module"));
        if (attr.containsKey("type")) d.put("type", TYPES.getOrDefault(attr.get("type"), "unknown"));
        if (attr.containsKey("bridge_id")) {
            d.put("type", "bridge");
            String brif = attr.getOrDefault("brif", "").strip();
            d.put("interfaces", brif.isEmpty() ? List.of() : List.of(brif.split("\\s+")));
            d.put("id", attr.get("bridge_id"));
            d.put("stp", attr.get("stp_state").equals("1"));
        }
        if (present(attr, "pciid")) d.put("pciid", attr.get("pciid"));
        if (present(attr, "speed")) d.put("speed", Integer.parseInt(attr.get("speed")));
        if (present(attr, "flags")) d.put("promisc", (Long.decode(attr.get("flags")) & 0x100) > 0);
    }

    @SuppressWarnings("unchecked")
    private static void addresses(String device, String out, boolean secondary, String mac, Map<String, Map<String, Object>> ifaces,
                                  Map<String, Object> v4, Map<String, Object> v6, List<String> all4, List<String> all6) {
        Map<String, Object> d = ifaces.get(device);
        for (String line : out.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 2) continue;
            if (w[0].equals("inet")) {
                String address, len, broadcast = "";
                if (w[1].contains("/")) {
                    address = w[1].split("/")[0];
                    len = w[1].split("/")[1];
                    if (w.length > 3 && w[2].equals("brd")) broadcast = w[3];
                } else {
                    address = w[1];
                    len = "32";
                }
                long a = ipv4(address);
                int n = Integer.parseInt(len);
                long mask = n == 0 ? 0 : (0xFFFFFFFFL << (32 - n)) & 0xFFFFFFFFL;
                Map<String, Object> ip = new TreeMap<>();
                ip.put("address", address);
                ip.put("broadcast", broadcast);
                ip.put("netmask", dotted(mask));
                ip.put("network", dotted(a & mask));
                ip.put("prefix", len);
                String alias = w[w.length - 1];
                Map<String, Object> target = alias.equals(device) ? d : ifaces.computeIfAbsent(alias, k -> new TreeMap<>());
                if (!alias.equals(device)) target.clear();
                if (!secondary && !target.containsKey("ipv4")) target.put("ipv4", ip);
                else ((List<Object>) target.computeIfAbsent("ipv4_secondaries", k -> new ArrayList<>())).add(new TreeMap<>(ip));
                if (secondary) {
                    List<Object> s = (List<Object>) d.computeIfAbsent("ipv4_secondaries", k -> new ArrayList<>());
                    if (!alias.equals(device)) s.add(new TreeMap<>(ip));
                }
                if (address.equals(v4.get("address"))) {
                    v4.put("broadcast", broadcast);
                    v4.put("netmask", ip.get("netmask"));
                    v4.put("network", ip.get("network"));
                    v4.put("prefix", len);
                    v4.put("macaddress", mac);
                    putMtuType(v4, d);
                    v4.put("alias", alias);
                }
                if (!address.startsWith("127.")) all4.add(address);
            } else if (w[0].equals("inet6") && w.length > 3) {
                String address, prefix, scope;
                if (w[2].equals("peer") && w.length > 5) {
                    address = w[1];
                    prefix = w[3].split("/")[1];
                    scope = w[5];
                } else {
                    address = w[1].split("/")[0];
                    prefix = w[1].contains("/") ? w[1].split("/")[1] : "128";
                    scope = w[3];
                }
                Map<String, Object> ip = new TreeMap<>(Map.of("address", address, "prefix", prefix, "scope", scope));
                ((List<Object>) d.computeIfAbsent("ipv6", k -> new ArrayList<>())).add(ip);
                if (address.equals(v6.get("address"))) {
                    v6.put("prefix", prefix);
                    v6.put("scope", scope);
                    v6.put("macaddress", mac);
                    putMtuType(v6, d);
                }
                if (!address.equals("::1")) all6.add(address);
            }
        }
    }

    private static void putMtuType(Map<String, Object> route, Map<String, Object> d) {
        route.put("mtu", d.get("mtu"));
        route.put("type", d.getOrDefault("type", "unknown"));
    }

    private static boolean present(Map<String, String> attr, String k) {
        return attr.containsKey(k) && !attr.get(k).isEmpty();
    }

    private static long ipv4(String a) {
        long v = 0;
        for (String p : a.split("\\.")) v = (v << 8) | Integer.parseInt(p);
        return v;
    }

    private static String dotted(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }
}
