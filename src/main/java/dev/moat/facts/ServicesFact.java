package dev.moat.facts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.module.Fact;

/**
 * Every service, as Ansible's {@code service_facts} lists them: {@code services[NAME] = {name,
 * state, status, source}}. Its two scans, merged in its order: {@code service --status-all}
 * ({@code source: sysv}, no status) when the host has {@code service} and neither chkconfig nor
 * OpenRC; then, when PID 1 is systemd, {@code systemctl list-units} and {@code list-unit-files}
 * ({@code source: systemd}, names with {@code .service}), the state of a unit file without a loaded
 * unit from {@code systemctl show}. Not ported: chkconfig, upstart and OpenRC hosts.
 */
public final class ServicesFact {
    public static final String KEY = "facts:services";
    private static final Fact<Map<String, Map<String, Object>>> FACT = new ScriptFact<>(KEY, FactScripts.load("services.sh"), ServicesFact::parse);
    private static final Pattern SYSV = Pattern.compile("^\\s*\\[ ([+-]) ]\\s+(.+)$", Pattern.MULTILINE);
    private static final List<String> BAD_STATES = List.of("not-found", "masked", "failed");

    private ServicesFact() {}

    public static Fact<Map<String, Map<String, Object>>> fact() {
        return FACT;
    }

    static Map<String, Map<String, Object>> parse(String text) {
        Map<String, String> s = HostFactsParser.sections(text);
        Map<String, Map<String, Object>> services = new TreeMap<>();
        Matcher m = SYSV.matcher(s.getOrDefault("sysv", ""));
        while (m.find()) {
            String name = m.group(2).strip();
            services.put(name, service(name, m.group(1).equals("+") ? "running" : "stopped", null, "sysv"));
        }
        if (s.containsKey("units")) systemd(s, services);
        return services;
    }

    private static Map<String, Object> service(String name, String state, String status, String source) {
        Map<String, Object> v = new TreeMap<>();
        v.put("name", name);
        v.put("state", state);
        if (status != null) v.put("status", status);
        v.put("source", source);
        return v;
    }

    /** Ansible's SystemctlScanService: units first, then unit files for the final status. */
    private static void systemd(Map<String, String> s, Map<String, Map<String, Object>> services) {
        Map<String, Map<String, Object>> units = new LinkedHashMap<>();
        for (String line : s.get("units").split("\n")) {
            if (!line.contains(".service")) continue;
            List<String> f = List.of(line.strip().split("\\s+"));
            String status = null;
            for (String bad : BAD_STATES) {
                if (f.contains(bad)) {
                    status = bad;
                    f = f.subList(1, f.size());
                    break;
                }
            }
            if (f.size() < 4) continue;
            if (status == null) status = f.get(2);
            units.put(f.get(0), service(f.get(0), f.get(3).equals("running") ? "running" : "stopped", status, "systemd"));
        }
        Map<String, String> shown = shown(s.getOrDefault("show", ""));
        for (String line : s.getOrDefault("unit-files", "").split("\n")) {
            if (!line.contains(".service")) continue;
            String[] f = line.strip().split("\\s+");
            if (f.length < 2) continue;
            Map<String, Object> u = units.get(f[0]);
            if (u == null) units.put(f[0], service(f[0], shown.getOrDefault(f[0], "unknown"), f[1], "systemd"));
            else if (!BAD_STATES.contains(String.valueOf(u.get("status")))) u.put("status", f[1]);
        }
        services.putAll(units);
    }

    /** {@code systemctl show --property=Id --property=ActiveState}: blocks of lines, one a unit. */
    private static Map<String, String> shown(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String block : text.split("\n\\s*\n")) {
            Map<String, String> kv = HostFactsParser.keyValues(block, '=');
            if (kv.containsKey("Id") && kv.get("ActiveState") != null && !kv.get("ActiveState").isEmpty()) out.put(kv.get("Id"), kv.get("ActiveState"));
        }
        return out;
    }
}
