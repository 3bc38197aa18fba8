package dev.moat.facts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's distribution facts from {@code /etc/os-release} (and {@code /etc/debian_version}):
 * the guess of its bundled {@code distro} (ID capitalized, VERSION_ID, VERSION_CODENAME), then
 * Ansible's os-release parsers for the Debian family (Debian, Ubuntu, Kali, Parrot, Devuan, Mint,
 * SteamOS...), then {@code os_family} from Ansible's OS_FAMILY map. Not ported: the RedHat, SUSE,
 * Amazon, Alpine, Arch... release-file parsers, so on those the distribution is the guess (the ID
 * capitalized), which is what Ansible reports for most of them but not all.
 */
final class DistributionFacts {
    private DistributionFacts() {}

    private static final Map<String, String> OS_FAMILY = new LinkedHashMap<>();

    static {
        family("RedHat", "RedHat", "RHEL", "Fedora", "CentOS", "Scientific", "SLC", "Ascendos", "CloudLinux", "PSBM",
                "OracleLinux", "OVS", "OEL", "Amazon", "Virtuozzo", "XenServer", "Alibaba", "EulerOS", "openEuler",
                "AlmaLinux", "Rocky", "TencentOS", "EuroLinux", "Kylin Linux Advanced Server");
        family("Debian", "Debian", "Ubuntu", "Raspbian", "Neon", "KDE neon", "Linux Mint", "SteamOS", "Devuan", "Kali",
                "Cumulus Linux", "Pop!_OS", "Parrot", "Pardus GNU/Linux", "Uos", "Deepin", "OSMC");
        family("Suse", "SuSE", "SLES", "SLED", "openSUSE", "openSUSE Tumbleweed", "SLES_SAP", "SUSE_LINUX", "openSUSE Leap");
        family("Archlinux", "Archlinux", "Antergos", "Manjaro");
        family("Mandrake", "Mandrake", "Mandriva");
        family("Slackware", "Slackware");
        family("Altlinux", "Altlinux");
        family("SGML", "SGML");
        family("Gentoo", "Gentoo", "Funtoo");
        family("Alpine", "Alpine");
        family("ClearLinux", "Clear Linux OS", "Clear Linux Mix");
    }

    private static void family(String name, String... members) {
        for (String m : members) OS_FAMILY.put(m, name);
    }

    /** distro's normalisation of os-release IDs. */
    private static final Map<String, String> NORMALIZED = Map.of("ol", "oracle", "opensuse-leap", "opensuse", "sles_sap", "sles");

    static Map<String, Object> parse(String osRelease, String debianVersion) {
        Map<String, String> os = osRelease(osRelease);
        Map<String, Object> f = new TreeMap<>();
        String id = os.getOrDefault("ID", "").toLowerCase().replace(' ', '_');
        id = NORMALIZED.getOrDefault(id, id);
        String dist = id.isEmpty() ? "OtherLinux" : capitalize(id);
        if (dist.equals("Amzn")) dist = "Amazon";
        if (dist.equals("Rhel")) dist = "Redhat";
        String version = os.getOrDefault("VERSION_ID", "");
        if (id.equals("debian")) version = best(version, debianVersion.strip());
        String codename = os.get("VERSION_CODENAME");
        if (codename == null) codename = os.get("UBUNTU_CODENAME");
        if (codename == null) codename = codenameOf(os.getOrDefault("VERSION", ""));
        f.put("distribution", dist);
        f.put("distribution_version", version.isEmpty() ? "NA" : version);
        f.put("distribution_release", codename == null ? "NA" : codename);
        String major = version.isEmpty() ? "NA" : version.split("\\.")[0];
        f.put("distribution_major_version", major.isEmpty() ? "NA" : major);
        if (!osRelease.isBlank()) {
            f.put("distribution_file_path", "/etc/os-release");
            debian(osRelease, debianVersion, f);
        }
        String d = String.valueOf(f.get("distribution"));
        f.put("os_family", OS_FAMILY.getOrDefault(d, d));
        return f;
    }

    /** Ansible's parse_distribution_file_Debian on /etc/os-release; no match leaves the guess. */
    private static void debian(String data, String debianVersion, Map<String, Object> f) {
        String name = null;
        if (data.contains("Debian") || data.contains("Raspbian")) {
            name = "Debian";
            Matcher r = Pattern.compile("PRETTY_NAME=[^(]+ \\(?([^)]+?)\\)").matcher(data);
            if (r.find()) f.put("distribution_release", r.group(1));
            for (String line : debianVersion.split("\n")) {
                Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(line.strip());
                if (m.find()) f.put("distribution_minor_version", m.group(2));
            }
        } else if (data.contains("Ubuntu")) {
            name = "Ubuntu";
        } else if (data.contains("SteamOS")) {
            name = "SteamOS";
        } else if (data.contains("Kali") || data.contains("Parrot")) {
            name = data.contains("Kali") ? "Kali" : "Parrot";
            Matcher r = Pattern.compile("DISTRIB_RELEASE=(.*)").matcher(data);
            if (r.find()) f.put("distribution_release", r.group(1));
        } else if (data.contains("Devuan")) {
            name = "Devuan";
            Matcher r = Pattern.compile("PRETTY_NAME=\"?[^(\"]+ \\(?([^) \"]+)\\)?").matcher(data);
            if (r.find()) f.put("distribution_release", r.group(1));
            Matcher v = Pattern.compile("VERSION_ID=\"(.*)\"").matcher(data);
            if (v.find()) {
                f.put("distribution_version", v.group(1));
                f.put("distribution_major_version", v.group(1));
            }
        } else if (data.contains("Mint")) {
            name = "Linux Mint";
            Matcher v = Pattern.compile("VERSION_ID=\"(.*)\"").matcher(data);
            if (v.find()) {
                f.put("distribution_version", v.group(1));
                f.put("distribution_major_version", v.group(1).split("\\.")[0]);
            }
        }
        if (name == null) return;
        f.put("distribution", name);
        f.put("distribution_file_variety", "Debian");
        f.put("distribution_file_parsed", true);
    }

    /** distro's version(best=True) for Debian: the most precise of os-release and /etc/debian_version. */
    private static String best(String osVersion, String debianVersion) {
        Matcher m = Pattern.compile("^(\\d+(?:\\.\\d+)*)").matcher(debianVersion);
        String file = m.find() ? m.group(1) : "";
        return dots(file) > dots(osVersion) ? file : osVersion;
    }

    private static int dots(String v) {
        return v.isEmpty() ? -1 : v.length() - v.replace(".", "").length();
    }

    private static String codenameOf(String version) {
        Matcher m = Pattern.compile("\\(([^)]+)\\)|, ([^,]+)$").matcher(version);
        if (!m.find()) return null;
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    static Map<String, String> osRelease(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int i = line.indexOf('=');
            if (i <= 0 || line.startsWith("#")) continue;
            out.put(line.substring(0, i).strip(), HostFactsParser.unquote(line.substring(i + 1)));
        }
        return out;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase();
    }
}
