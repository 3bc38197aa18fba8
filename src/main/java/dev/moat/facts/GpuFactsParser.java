package dev.moat.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code gpu-facts.sh} as a list of GPUs, each a map: {@code vendor} ({@code nvidia},
 * {@code amd}), {@code index}, {@code name}, {@code uuid}, {@code memory_total_mib},
 * {@code driver_version}, {@code cuda_version}, {@code persistence_mode} and {@code mig_mode} (as
 * nvidia-smi prints them: {@code Enabled}, {@code Disabled}), {@code pci_bus_id} (sysfs's form,
 * {@code 0000:07:00.0}), {@code pci_id} ({@code 10de:20b2}) and {@code source}: where the GPU was
 * seen ({@code nvidia-smi}, {@code driver}, {@code lspci}, {@code sysfs}). What the source cannot
 * tell, or nvidia-smi prints as {@code [N/A]} or {@code [Not Supported]}, is null.
 * Pure: tests feed it fixtures of each source.
 */
final class GpuFactsParser {
    private static final String[] KEYS = {"index", "name", "uuid", "memory_total_mib", "driver_version", "cuda_version",
        "persistence_mode", "mig_mode", "pci_bus_id", "pci_id", "vendor", "source"};
    private static final Pattern CUDA = Pattern.compile("CUDA Version:\\s*([0-9][0-9.]*)");
    private static final Pattern NVRM = Pattern.compile("Kernel Module(?: for [^ ]+)?\\s+([0-9][0-9.]+)");
    private static final Pattern LSPCI = Pattern.compile("^(\\S+) (.*?) \\[(03[0-9a-f]{2})]: (.*) \\[10de:([0-9a-f]{4})](?: \\(rev [0-9a-f]+\\))?$");

    private GpuFactsParser() {}

    static List<Map<String, Object>> parse(String raw) {
        Map<String, String> s = HostFactsParser.sections(raw);
        Map<String, Map<String, Object>> lspci = lspci(s.getOrDefault("lspci", ""));
        List<Map<String, Object>> nvidia = smi(s.get("smi-query"), s.getOrDefault("smi-header", ""));
        if (nvidia.isEmpty()) nvidia = driver(s, lspci);
        if (nvidia.isEmpty()) nvidia = new ArrayList<>(lspci.values());
        if (nvidia.isEmpty()) nvidia = drm(s, "0x10de", "nvidia");
        for (Map<String, Object> g : nvidia) {
            Map<String, Object> pci = lspci.get(String.valueOf(g.get("pci_bus_id")));
            if (pci != null && g.get("pci_id") == null) g.put("pci_id", pci.get("pci_id"));
        }
        List<Map<String, Object>> out = new ArrayList<>(nvidia);
        out.addAll(drm(s, "0x1002", "amd"));
        return out;
    }

    private static Map<String, Object> gpu(String vendor, String source) {
        Map<String, Object> g = new TreeMap<>();
        for (String k : KEYS) g.put(k, null);
        g.put("vendor", vendor);
        g.put("source", source);
        return g;
    }

    /** {@code --query-gpu=index,name,uuid,memory.total,driver_version,persistence_mode,mig.mode.current,pci.bus_id}, ending in {@code rc=N}. */
    static List<Map<String, Object>> smi(String query, String header) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (query == null) return out;
        List<String> lines = HostFactsParser.lines(query);
        if (lines.isEmpty() || !lines.get(lines.size() - 1).strip().equals("rc=0")) return out;
        Matcher cuda = CUDA.matcher(header);
        String cudaVersion = cuda.find() ? cuda.group(1) : null;
        for (String line : lines.subList(0, lines.size() - 1)) {
            String[] f = line.split("\\s*,\\s*", -1);
            if (f.length < 8 || !f[0].strip().matches("\\d+")) continue; // the header line, when asked for
            if (f.length > 8) { // a name with a comma in it: the six fields after the name are fixed
                String[] g = new String[8];
                g[0] = f[0];
                g[1] = String.join(", ", java.util.Arrays.copyOfRange(f, 1, f.length - 6));
                System.arraycopy(f, f.length - 6, g, 2, 6);
                f = g;
            }
            Map<String, Object> g = gpu("nvidia", "nvidia-smi");
            g.put("index", Integer.parseInt(f[0].strip()));
            g.put("name", value(f[1]));
            g.put("uuid", value(f[2]));
            String mem = value(f[3]);
            if (mem != null) mem = mem.replaceFirst("\\s*MiB$", "");
            g.put("memory_total_mib", mem != null && mem.matches("\\d+") ? Integer.valueOf(mem) : null);
            g.put("driver_version", value(f[4]));
            g.put("cuda_version", cudaVersion);
            g.put("persistence_mode", value(f[5]));
            g.put("mig_mode", value(f[6]));
            g.put("pci_bus_id", busId(value(f[7])));
            out.add(g);
        }
        return out;
    }

    /** The driver's {@code /proc/driver/nvidia/gpus/BUS/information} files: a driver without nvidia-smi (or whose nvidia-smi fails). */
    private static List<Map<String, Object>> driver(Map<String, String> s, Map<String, Map<String, Object>> lspci) {
        Matcher m = NVRM.matcher(s.getOrDefault("nvidia-version", ""));
        String driverVersion = m.find() ? m.group(1) : null;
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, String> e : s.entrySet()) {
            if (!e.getKey().startsWith("proc-gpu ")) continue;
            Map<String, String> kv = HostFactsParser.keyValues(e.getValue(), ':');
            Map<String, Object> g = gpu("nvidia", "driver");
            String minor = kv.getOrDefault("Device Minor", "");
            g.put("index", minor.matches("\\d+") ? Integer.valueOf(minor) : null);
            g.put("name", value(kv.get("Model")));
            g.put("uuid", value(kv.get("GPU UUID")));
            g.put("driver_version", driverVersion);
            g.put("pci_bus_id", busId(value(kv.get("Bus Location"))));
            out.add(g);
        }
        out.sort((a, b) -> String.valueOf(a.get("pci_bus_id")).compareTo(String.valueOf(b.get("pci_bus_id"))));
        return out;
    }

    /** {@code lspci -D -nn -d 10de:}: the display controllers (class 03xx), by bus id, indexed in bus order. */
    private static Map<String, Map<String, Object>> lspci(String text) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String line : HostFactsParser.lines(text)) {
            Matcher m = LSPCI.matcher(line.strip());
            if (!m.matches()) continue;
            Map<String, Object> g = gpu("nvidia", "lspci");
            g.put("index", out.size());
            g.put("name", m.group(4));
            g.put("pci_bus_id", busId(m.group(1)));
            g.put("pci_id", "10de:" + m.group(5));
            out.put((String) g.get("pci_bus_id"), g);
        }
        return out;
    }

    /** {@code /sys/class/drm/cardN/device}: the cards of one PCI vendor, once per device. */
    private static List<Map<String, Object>> drm(Map<String, String> s, String vendorId, String vendor) {
        Map<String, Map<String, Object>> bySlot = new TreeMap<>();
        for (Map.Entry<String, String> e : s.entrySet()) {
            if (!e.getKey().startsWith("drm ")) continue;
            Map<String, String> kv = HostFactsParser.keyValues(e.getValue(), '=');
            if (!vendorId.equalsIgnoreCase(kv.getOrDefault("vendor", ""))) continue;
            String slot = busId(kv.get("slot"));
            if (slot == null || bySlot.containsKey(slot)) continue;
            Map<String, Object> g = gpu(vendor, "sysfs");
            g.put("pci_bus_id", slot);
            String device = kv.getOrDefault("device", "").toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
            g.put("pci_id", vendorId.substring(2) + ":" + device);
            bySlot.put(slot, g);
        }
        List<Map<String, Object>> out = new ArrayList<>(bySlot.values());
        for (int i = 0; i < out.size(); i++) out.get(i).put("index", i);
        return out;
    }

    /** nvidia-smi's {@code [N/A]}, {@code [Not Supported]} and friends are null. */
    static String value(String v) {
        if (v == null) return null;
        String t = v.strip();
        if (t.isEmpty() || t.equals("N/A") || (t.startsWith("[") && t.endsWith("]"))) return null;
        return t;
    }

    /** A PCI address as sysfs writes it: a 4-digit domain, lower case ({@code 00000000:07:00.0} is {@code 0000:07:00.0}). */
    static String busId(String v) {
        if (v == null) return null;
        String t = v.strip().toLowerCase(Locale.ROOT);
        Matcher m = Pattern.compile("(?:([0-9a-f]+):)?([0-9a-f]{2}:[0-9a-f]{2}\\.[0-9a-f])").matcher(t);
        if (!m.matches()) return t.isEmpty() ? null : t;
        long domain = m.group(1) == null ? 0 : Long.parseLong(m.group(1), 16);
        return String.format("%04x:%s", domain, m.group(2));
    }
}
