package dev.moat.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output of {@code host-facts.sh} as Ansible's {@code setup} facts (keys without the
 * {@code ansible_} prefix). Pure: the same text always gives the same facts, so tests compare it
 * with Ansible's recorded answer for the same host state. Distribution, network and hardware
 * facts have their own classes; this one splits the sections and adds the small system facts.
 */
public final class HostFactsParser {
    private HostFactsParser() {}

    /** The sections of the raw output, by their {@code @@name} header, each its text. */
    static Map<String, String> sections(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : raw.split("\n", -1)) {
            if (line.startsWith("@@")) {
                if (name != null) out.put(name, body.toString().strip());
                name = line.substring(2);
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) out.put(name, body.toString().strip());
        return out;
    }

    public static Map<String, Object> parse(String raw) {
        Map<String, String> s = sections(raw);
        Map<String, Object> f = new TreeMap<>();
        platform(s, f);
        f.putAll(DistributionFacts.parse(s.getOrDefault("os-release", ""), s.getOrDefault("debian_version", "")));
        lsb(s, f);
        HardwareFacts.parse(s, String.valueOf(f.get("architecture")), f);
        NetworkFacts.parse(s, f);
        user(s.getOrDefault("user", ""), f);
        f.put("env", env(s.getOrDefault("env", "")));
        python(s.getOrDefault("python", ""), f);
        f.put("date_time", DateTimeFacts.parse(s.getOrDefault("date", "")));
        List<String> paths = lines(s.getOrDefault("paths", ""));
        f.put("service_mgr", serviceMgr(s.getOrDefault("proc1", ""), paths));
        f.put("pkg_mgr", pkgMgr(paths, f));
        VirtualFacts.parse(s, paths, f);
        f.put("apparmor", Map.of("status", paths.contains("/sys/kernel/security/apparmor") ? "enabled" : "disabled"));
        f.put("selinux", selinux(s.getOrDefault("selinux", ""), paths));
        f.put("gather_subset", List.of("all"));
        f.put("module_setup", true);
        return f;
    }

    private static void platform(Map<String, String> s, Map<String, Object> f) {
        List<String> u = lines(s.getOrDefault("uname", ""));
        if (u.size() < 5) return;
        f.put("system", u.get(0));
        f.put("kernel", u.get(1));
        f.put("kernel_version", u.get(2));
        f.put("machine", u.get(3));
        String arch = u.get(3);
        f.put("architecture", arch.matches("i[3-6]86") ? arch : arch);
        if (arch.equals("x86_64")) f.put("userspace_architecture", "x86_64");
        f.put("nodename", u.get(4));
        f.put("hostname", u.get(4).split("\\.")[0]);
        // socket.getfqdn(): the first name of the host's address that holds a dot, else its primary name.
        String fqdn = u.get(4);
        List<String> hosts = lines(s.getOrDefault("fqdn", ""));
        if (!hosts.isEmpty()) {
            String[] names = hosts.get(0).trim().split("\\s+");
            if (names.length > 1) {
                fqdn = names[1];
                for (int i = 1; i < names.length; i++) {
                    if (names[i].contains(".")) {
                        fqdn = names[i];
                        break;
                    }
                }
            }
        }
        f.put("fqdn", fqdn);
        int dot = fqdn.indexOf('.');
        f.put("domain", dot < 0 ? "" : fqdn.substring(dot + 1));
        List<String> id = lines(s.getOrDefault("machine-id", ""));
        if (!id.isEmpty()) f.put("machine_id", id.get(0));
    }

    /** lsb_release -a when present, else /etc/lsb-release, as Ansible's lsb collector. */
    private static void lsb(Map<String, String> s, Map<String, Object> f) {
        Map<String, Object> lsb = new TreeMap<>();
        String cmd = s.getOrDefault("lsb_release", "");
        if (!cmd.isBlank()) {
            Map<String, String> kv = keyValues(cmd, ':');
            putIf(lsb, "id", kv.get("Distributor ID"));
            putIf(lsb, "description", kv.get("Description"));
            putIf(lsb, "release", kv.get("Release"));
            putIf(lsb, "codename", kv.get("Codename"));
        } else {
            Map<String, String> kv = keyValues(s.getOrDefault("lsb-release", ""), '=');
            putIf(lsb, "id", kv.get("DISTRIB_ID"));
            putIf(lsb, "release", kv.get("DISTRIB_RELEASE"));
            putIf(lsb, "description", kv.containsKey("DISTRIB_DESCRIPTION") ? unquote(kv.get("DISTRIB_DESCRIPTION")) : null);
            putIf(lsb, "codename", kv.get("DISTRIB_CODENAME"));
        }
        if (lsb.get("release") instanceof String r) lsb.put("major_release", r.split("\\.")[0]);
        f.put("lsb", lsb);
    }

    private static void user(String text, Map<String, Object> f) {
        List<String> u = lines(text);
        if (u.size() < 3) return;
        f.put("user_id", u.get(0));
        if (u.size() > 3) {
            String[] pw = u.get(3).split(":", -1);
            if (pw.length >= 7) {
                f.put("user_uid", Integer.parseInt(pw[2]));
                f.put("user_gid", Integer.parseInt(pw[3]));
                f.put("user_gecos", pw[4]);
                f.put("user_dir", pw[5]);
                f.put("user_shell", pw[6]);
            }
        }
        f.put("real_user_id", Integer.parseInt(u.get(1)));
        f.put("effective_user_id", Integer.parseInt(u.get(1)));
        f.put("real_group_id", Integer.parseInt(u.get(2)));
        f.put("effective_group_id", Integer.parseInt(u.get(2)));
    }

    /** The environment; without the LC_ALL=C that moat's batched read sets for its own parsing. */
    private static Map<String, String> env(String text) {
        Map<String, String> out = new TreeMap<>();
        for (String l : text.split("\n")) {
            int i = l.indexOf('=');
            if (i > 0) out.put(l.substring(0, i), l.substring(i + 1));
        }
        if ("C".equals(out.get("LC_ALL"))) out.remove("LC_ALL");
        return out;
    }

    private static void python(String text, Map<String, Object> f) {
        List<String> p = lines(text);
        if (p.size() < 2 || !p.get(1).startsWith("Python ")) return;
        String v = p.get(1).substring(7).strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:(a|b|rc)(\\d+))?").matcher(v);
        if (!m.lookingAt()) return;
        String level = m.group(4) == null ? "final" : m.group(4).equals("a") ? "alpha" : m.group(4).equals("b") ? "beta" : "candidate";
        int serial = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        Map<String, Object> version = new TreeMap<>();
        version.put("major", Integer.parseInt(m.group(1)));
        version.put("minor", Integer.parseInt(m.group(2)));
        version.put("micro", Integer.parseInt(m.group(3)));
        version.put("releaselevel", level);
        version.put("serial", serial);
        Map<String, Object> py = new TreeMap<>();
        py.put("executable", p.get(0));
        py.put("has_sslcontext", true);
        py.put("type", "cpython");
        py.put("version", version);
        py.put("version_info", List.of(version.get("major"), version.get("minor"), version.get("micro"), level, serial));
        f.put("python", py);
        f.put("python_version", m.group(1) + "." + m.group(2) + "." + m.group(3));
    }

    /** Ansible's service_mgr on Linux: what PID 1 is called, else systemd, upstart, openrc, sysvinit, service. */
    static String serviceMgr(String proc1, List<String> paths) {
        List<String> l = lines(proc1);
        String p1 = l.isEmpty() || l.get(0).startsWith("init=") ? null : l.get(0).strip();
        if (p1 == null) {
            for (String x : l) if (x.startsWith("init=")) p1 = x.substring(5);
        }
        if (p1 != null) {
            p1 = p1.substring(p1.lastIndexOf('/') + 1).strip();
            if (p1.equals("init") || p1.endsWith("sh")) p1 = null;
        }
        if (p1 != null) {
            return switch (p1) {
                case "procd" -> "openwrt_init";
                case "runit-init" -> "runit";
                case "svscan" -> "svc";
                case "openrc-init" -> "openrc";
                default -> p1;
            };
        }
        if (paths.contains("/run/systemd/system") || paths.contains("/dev/.run/systemd") || paths.contains("/dev/.systemd")) return "systemd";
        if (paths.contains("initctl") && paths.contains("/etc/init")) return "upstart";
        if (paths.contains("/sbin/openrc")) return "openrc";
        for (String x : l) if (x.startsWith("init=") && x.endsWith("systemd")) return "systemd";
        if (paths.contains("/etc/init.d")) return "sysvinit";
        return "service";
    }

    private static final String[][] PKG_MGRS = {
        {"/usr/bin/rpm-ostree", "atomic_container"}, {"/usr/bin/yum", "yum"}, {"/usr/bin/dnf", "dnf"},
        {"/usr/bin/apt-get", "apt"}, {"/usr/bin/zypper", "zypper"}, {"/usr/sbin/urpmi", "urpmi"},
        {"/usr/bin/pacman", "pacman"}, {"/bin/opkg", "opkg"}, {"/sbin/apk", "apk"}, {"/usr/bin/emerge", "portage"},
        {"/usr/bin/xbps-install", "xbps"}, {"/usr/bin/swupd", "swupd"}, {"/usr/sbin/sorcery", "sorcery"}};

    /** Ansible's pkg_mgr: the last of its list that exists; yum or dnf by version on the RedHat family. */
    static String pkgMgr(List<String> paths, Map<String, Object> f) {
        String name = "unknown";
        for (String[] p : PKG_MGRS) if (paths.contains(p[0])) name = p[1];
        if ("RedHat".equals(f.get("os_family")) && !"apt".equals(name)) {
            if (paths.contains("/run/ostree-booted")) return "atomic_container";
            String major = String.valueOf(f.get("distribution_major_version"));
            String dist = String.valueOf(f.get("distribution"));
            try {
                int v = Integer.parseInt(major);
                if (dist.equals("Fedora")) name = v < 23 ? (paths.contains("/usr/bin/yum") ? "yum" : name) : (paths.contains("/usr/bin/dnf") ? "dnf" : name);
                else if (dist.equals("Amazon")) name = v < 2022 ? (paths.contains("/usr/bin/yum") ? "yum" : name) : (paths.contains("/usr/bin/dnf") ? "dnf" : name);
                else name = v < 8 ? "yum" : "dnf";
            } catch (NumberFormatException e) {
                name = "dnf";
            }
        }
        return name;
    }

    private static Map<String, Object> selinux(String text, List<String> paths) {
        if (!paths.contains("/sys/fs/selinux/enforce")) return Map.of("status", "disabled");
        List<String> l = lines(text);
        Map<String, Object> out = new TreeMap<>();
        out.put("status", "enabled");
        if (!l.isEmpty()) out.put("mode", l.get(0).strip().equals("1") ? "enforcing" : "permissive");
        if (l.size() > 1) out.put("policyvers", Integer.parseInt(l.get(1).strip()));
        Map<String, String> cfg = keyValues(text, '=');
        putIf(out, "config_mode", cfg.get("SELINUX"));
        putIf(out, "type", cfg.get("SELINUXTYPE"));
        return out;
    }

    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) if (!l.isBlank()) out.add(l);
        return out;
    }

    /** KEY=value (or KEY: value) lines; the first separator splits, values trimmed. */
    static Map<String, String> keyValues(String text, char sep) {
        Map<String, String> out = new TreeMap<>();
        for (String l : text.split("\n")) {
            int i = l.indexOf(sep);
            if (i > 0) out.put(l.substring(0, i).strip(), l.substring(i + 1).strip());
        }
        return out;
    }

    static String unquote(String v) {
        String s = v.strip();
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) m.put(k, v);
    }
}
