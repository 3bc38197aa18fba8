package dev.moat.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * moat's facts against Ansible's {@code setup} on the same host state: {@code debian12-setup.json}
 * is {@code ansible -i localhost, -c local -m setup localhost} on a Debian 12 machine (Ansible 2.14,
 * run with a clean environment), {@code debian12-raw.txt} the output of {@code host-facts.sh} run
 * right after on the same machine. Every key moat provides must equal Ansible's, except the
 * time-varying ones (compared by type) and orders Ansible takes from the directory or a thread
 * pool (compared as sets); the keys moat does not provide are listed in {@code facts-not-provided.txt}.
 * {@code testbed-h1-*} and {@code testbed-systemd-h1-*} are the same pair recorded on testbed hosts
 * (sshd as init, and systemd as PID 1) by {@code tests/tools/facts-compare ... --record}: Ansible's
 * setup over SSH, then host-facts.sh over SSH, with a default route that leads nowhere added so
 * {@code default_ipv4}/{@code default_ipv6} are compared too.
 */
class HostFactsAnsibleComparisonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Values that change between two reads a second apart: compared by type only. */
    private static final Set<String> BY_TYPE = Set.of("date_time", "memfree_mb", "uptime_seconds", "memory_mb", "mounts_sizes");
    /** Lists whose order Ansible takes from readdir or a thread pool: compared as sets. */
    private static final Set<String> UNORDERED = Set.of("interfaces", "all_ipv4_addresses", "all_ipv6_addresses");
    /**
     * What differs in {@code env} by transport, not by parsing: Ansible's pty ({@code SSH_TTY},
     * {@code TERM}), its module runner's locale ({@code LANG}, {@code LC_CTYPE}), the connection's
     * client port and login session, and {@code _} (the shell that ran the reader).
     */
    private static final Set<String> ENV_TRANSPORT = Set.of("LC_CTYPE", "LANG", "SSH_TTY", "TERM", "SSH_CLIENT", "SSH_CONNECTION",
            "XDG_SESSION_ID", "_");

    @ParameterizedTest
    @ValueSource(strings = {"debian12", "testbed-h1", "testbed-systemd-h1"})
    void everyProvidedKeyEqualsAnsibles(String host) throws IOException {
        Map<String, Object> ansible = ansible(host + "-setup.json");
        Map<String, Object> moat = HostFactsParser.parse(read(host + "-raw.txt"));
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, Object> e : moat.entrySet()) {
            String key = e.getKey();
            if (!ansible.containsKey(key)) {
                diffs.add(key + ": moat has it, Ansible does not");
                continue;
            }
            Object want = JSON.readValue(JSON.writeValueAsString(ansible.get(key)), Object.class);
            Object got = JSON.readValue(JSON.writeValueAsString(e.getValue()), Object.class);
            // moat's LC_ALL=C is dropped by the parser; the rest of ENV_TRANSPORT is the connection's.
            if (key.equals("env")) {
                ((Map<?, ?>) want).keySet().removeAll(ENV_TRANSPORT);
                ((Map<?, ?>) got).keySet().removeAll(ENV_TRANSPORT);
            }
            if (BY_TYPE.contains(key)) {
                if (!sameShape(want, got)) diffs.add(key + ": type differs: " + got + " vs Ansible's " + want);
            } else if (key.equals("mounts")) {
                compareMounts(want, got, diffs);
            } else if (UNORDERED.contains(key)) {
                if (!new HashSet<>((List<?>) want).equals(new HashSet<>((List<?>) got))) diffs.add(key + ": " + got + " vs Ansible's " + want);
            } else if (!want.equals(got)) {
                diffs.add(key + ": " + got + " vs Ansible's " + want);
            }
        }
        assertEquals(List.of(), diffs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian12", "testbed-h1", "testbed-systemd-h1"})
    void theKeysNotProvidedAreListed(String host) throws IOException {
        Map<String, Object> ansible = ansible(host + "-setup.json");
        Map<String, Object> moat = HostFactsParser.parse(read(host + "-raw.txt"));
        Set<String> missing = new TreeSet<>(ansible.keySet());
        missing.removeAll(moat.keySet());
        missing.remove("local"); // ansible_local: setup reads it beside these core facts (LocalFactsTest)
        Set<String> listed = new TreeSet<>();
        for (String l : read("facts-not-provided.txt").split("\n")) {
            String k = l.replaceAll("#.*", "").strip();
            if (!k.isEmpty()) listed.add(k);
        }
        assertEquals(listed, missing, "facts-not-provided.txt lists exactly the keys of Ansible's setup moat does not provide");
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian12", "testbed-h1", "testbed-systemd-h1"})
    void theCoreKeysAreProvided(String host) throws IOException {
        Map<String, Object> moat = HostFactsParser.parse(read(host + "-raw.txt"));
        for (String k : List.of("os_family", "distribution", "distribution_version", "distribution_major_version",
                "distribution_release", "architecture", "kernel", "hostname", "fqdn", "nodename", "default_ipv4",
                "all_ipv4_addresses", "interfaces", "processor_count", "processor_vcpus", "memtotal_mb", "mounts", "env",
                "user_id", "service_mgr", "pkg_mgr", "python", "virtualization_type", "lsb", "machine_id")) {
            assertTrue(moat.containsKey(k), k);
        }
    }

    @SuppressWarnings("unchecked")
    private static void compareMounts(Object want, Object got, List<String> diffs) {
        Map<Object, Map<String, Object>> w = new java.util.TreeMap<>(), g = new java.util.TreeMap<>();
        for (Object o : (List<Object>) want) w.put(((Map<String, Object>) o).get("mount"), (Map<String, Object>) o);
        for (Object o : (List<Object>) got) g.put(((Map<String, Object>) o).get("mount"), (Map<String, Object>) o);
        if (!w.keySet().equals(g.keySet())) diffs.add("mounts: " + g.keySet() + " vs Ansible's " + w.keySet());
        for (Map.Entry<Object, Map<String, Object>> e : g.entrySet()) {
            Map<String, Object> a = w.get(e.getKey());
            if (a == null) continue;
            for (Map.Entry<String, Object> f : e.getValue().entrySet()) {
                boolean varies = f.getKey().endsWith("_available") || f.getKey().endsWith("_used");
                if (!a.containsKey(f.getKey())) diffs.add("mounts[" + e.getKey() + "]." + f.getKey() + ": not in Ansible's");
                else if (varies ? !sameShape(a.get(f.getKey()), f.getValue()) : !a.get(f.getKey()).equals(f.getValue())) {
                    diffs.add("mounts[" + e.getKey() + "]." + f.getKey() + ": " + f.getValue() + " vs Ansible's " + a.get(f.getKey()));
                }
            }
        }
    }

    private static boolean sameShape(Object want, Object got) {
        if (want instanceof Map<?, ?> w && got instanceof Map<?, ?> g) {
            if (!w.keySet().equals(g.keySet())) return false;
            for (Object k : w.keySet()) if (!sameShape(w.get(k), g.get(k))) return false;
            return true;
        }
        if (want instanceof Number && got instanceof Number) return true;
        return want != null && got != null && want.getClass() == got.getClass();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> ansible(String name) throws IOException {
        Map<String, Object> all = (Map<String, Object>) JSON.readValue(read(name), Map.class).get("ansible_facts");
        Map<String, Object> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Object> e : all.entrySet()) out.put(e.getKey().replaceFirst("^ansible_", ""), e.getValue());
        return out;
    }

    static String read(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/facts", name), StandardCharsets.UTF_8);
    }
}
