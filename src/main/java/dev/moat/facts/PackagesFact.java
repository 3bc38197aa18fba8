package dev.moat.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;

/**
 * Every installed Debian package, as Ansible's {@code package_facts} with {@code manager: apt}
 * lists them: {@code packages[NAME] = [{name, version, arch, source: apt}]}, where a
 * package of a foreign architecture is named {@code NAME:ARCH}, as python-apt names it. Read with
 * {@code dpkg-query} from dpkg's status (installed: any state but not-installed and config-files).
 * Null when the host has no dpkg. Not provided: {@code origin}, which needs apt's policy for
 * every package, and {@code category}, which python-apt takes from the archive's index where it
 * can differ from dpkg's (pkg-config: {@code devel} there, {@code oldlibs} in dpkg's status).
 */
public record PackagesFact() implements Fact<Map<String, List<Map<String, Object>>>> {
    public static final String KEY = "facts:packages";

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String script() {
        return "command -v dpkg-query >/dev/null 2>&1 || { echo nodpkg; exit 0; }\n"
                + "dpkg --print-architecture\n"
                + "dpkg-query -W -f='${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Architecture}\\n'";
    }

    @Override
    public Map<String, List<Map<String, Object>>> parse(FactOutput out) throws TaskException {
        List<String> lines = HostFactsParser.lines(out.text());
        if (lines.isEmpty() || lines.get(0).equals("nodpkg")) return null;
        if (out.rc() != 0) throw new TaskException("dpkg-query failed: " + out.errText().strip());
        String nativeArch = lines.get(0).strip();
        Map<String, List<Map<String, Object>>> packages = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f.length < 4 || f[0].length() < 2 || "nc".indexOf(f[0].charAt(1)) >= 0) continue;
            String name = f[3].equals(nativeArch) || f[3].equals("all") || f[3].isEmpty() ? f[1] : f[1] + ":" + f[3];
            Map<String, Object> p = new TreeMap<>();
            p.put("name", name);
            p.put("version", f[2]);
            p.put("arch", f[3]);
            p.put("source", "apt");
            packages.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
        }
        return packages;
    }
}
