package dev.moat.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ansible's Linux hardware facts: processors (its cpuinfo counting, quirks included), memory, mounts, uptime. */
final class HardwareFacts {
    private HardwareFacts() {}

    static void parse(Map<String, String> s, String arch, Map<String, Object> f) {
        cpu(s.getOrDefault("cpuinfo", ""), arch, f);
        List<String> nproc = HostFactsParser.lines(s.getOrDefault("nproc", ""));
        if (!nproc.isEmpty() && f.containsKey("processor_count")) f.put("processor_nproc", Integer.parseInt(nproc.get(0).strip()));
        memory(s.getOrDefault("meminfo", ""), f);
        List<String> up = HostFactsParser.lines(s.getOrDefault("uptime", ""));
        if (!up.isEmpty()) f.put("uptime_seconds", (int) Double.parseDouble(up.get(0).split("\\s+")[0]));
        f.put("mounts", mounts(s.getOrDefault("mounts", ""), s.getOrDefault("binds", ""), s.getOrDefault("statfs", "")));
    }

    private static void cpu(String cpuinfo, String arch, Map<String, Object> f) {
        List<String> processor = new ArrayList<>();
        int i = 0, vendors = 0, models = 0, procs = 0;
        String physid = "0", coreid = "0";
        Map<String, Integer> sockets = new LinkedHashMap<>();
        Map<String, Integer> cores = new LinkedHashMap<>();
        for (String line : cpuinfo.split("\n")) {
            int c = line.indexOf(':');
            String key = (c < 0 ? line : line.substring(0, c)).strip();
            String val = c < 0 ? "" : line.substring(c + 1).strip();
            switch (key) {
                case "model name", "Processor", "vendor_id", "cpu", "Vendor", "processor" -> {
                    processor.add(val);
                    if (key.equals("vendor_id")) vendors++;
                    if (key.equals("model name")) models++;
                    if (key.equals("processor")) procs++;
                    i++;
                }
                case "physical id" -> {
                    physid = val;
                    sockets.putIfAbsent(physid, 1);
                }
                case "core id" -> {
                    coreid = val;
                    if (!sockets.containsKey(coreid)) cores.put(coreid, 1);
                }
                case "cpu cores" -> sockets.put(physid, Integer.parseInt(val));
                case "siblings" -> cores.put(coreid, Integer.parseInt(val));
                default -> { }
            }
        }
        if (processor.isEmpty()) return;
        f.put("processor", processor);
        if (vendors > 0 && vendors == models) i = vendors;
        if (arch.startsWith("armv") || arch.startsWith("aarch") || arch.startsWith("ppc")) i = procs;
        if (arch.equals("s390x")) return;
        int count = sockets.isEmpty() ? i : sockets.size();
        Integer first = sockets.isEmpty() ? null : sockets.values().iterator().next();
        int perSocket = first != null && first != 0 ? first : 1;
        int threads = cores.isEmpty() ? 1 / perSocket : cores.values().iterator().next() / perSocket;
        f.put("processor_count", count);
        f.put("processor_cores", perSocket);
        f.put("processor_threads_per_core", threads);
        f.put("processor_vcpus", threads * count * perSocket);
        f.put("processor_nproc", procs);
    }

    private static void memory(String meminfo, Map<String, Object> f) {
        Map<String, Long> kb = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^(\\w+(?:\\(\\w+\\))?):\\s+(\\d+)").matcher(meminfo);
        while (m.find()) kb.put(m.group(1), Long.parseLong(m.group(2)));
        if (!kb.containsKey("MemTotal")) return;
        long total = mb(kb, "MemTotal"), free = mb(kb, "MemFree"), swapTotal = mb(kb, "SwapTotal"), swapFree = mb(kb, "SwapFree");
        f.put("memtotal_mb", (int) total);
        f.put("memfree_mb", (int) free);
        f.put("swaptotal_mb", (int) swapTotal);
        f.put("swapfree_mb", (int) swapFree);
        long buffers = mb(kb, "Buffers"), cached = mb(kb, "Cached");
        Map<String, Object> real = new TreeMap<>(Map.of("total", (int) total, "free", (int) free, "used", (int) (total - free)));
        Map<String, Object> nocache = new TreeMap<>(Map.of("free", (int) (free + buffers + cached), "used", (int) (total - free - buffers - cached)));
        Map<String, Object> swap = new TreeMap<>(Map.of("total", (int) swapTotal, "free", (int) swapFree,
                "used", (int) (swapTotal - swapFree), "cached", (int) mb(kb, "SwapCached")));
        f.put("memory_mb", new TreeMap<>(Map.of("real", real, "nocache", nocache, "swap", swap)));
    }

    private static long mb(Map<String, Long> kb, String key) {
        return kb.getOrDefault(key, 0L) / 1024;
    }

    /** /proc/mounts entries of a device path or a network source, with bind marks and statvfs sizes, as Ansible's. */
    private static List<Map<String, Object>> mounts(String mtab, String findmnt, String statfs) {
        Set<String> binds = new LinkedHashSet<>();
        for (String line : findmnt.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length >= 2 && w[1].endsWith("]")) binds.add(w[0]);
        }
        Map<String, long[]> sizes = new LinkedHashMap<>();
        for (String line : statfs.split("\n")) {
            String[] w = line.split(" ", 7);
            if (w.length < 7) continue;
            long[] v = new long[6];
            for (int k = 0; k < 6; k++) v[k] = Long.parseLong(w[k]);
            sizes.put(w[6], v);
        }
        Map<String, Map<String, Object>> byMount = new LinkedHashMap<>();
        for (String line : mtab.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 4) continue;
            String device = octal(w[0]), mount = octal(w[1]), fstype = octal(w[2]), options = octal(w[3]);
            if (!device.startsWith("/") && !device.startsWith("\\") && !device.contains(":/") || fstype.equals("none")) continue;
            Map<String, Object> m = new TreeMap<>();
            m.put("mount", mount);
            m.put("device", device);
            m.put("fstype", fstype);
            m.put("options", binds.contains(mount) && !options.matches(".*bind.*\"") ? options + ",bind" : options);
            long[] v = sizes.get(mount);
            if (v != null) {
                // statvfs: f_frsize, f_bsize, f_blocks, f_bavail, f_files, f_favail
                m.put("size_total", v[0] * v[2]);
                m.put("size_available", v[0] * v[3]);
                m.put("block_size", v[1]);
                m.put("block_total", v[2]);
                m.put("block_available", v[3]);
                m.put("block_used", v[2] - v[3]);
                m.put("inode_total", v[4]);
                m.put("inode_available", v[5]);
                m.put("inode_used", v[4] - v[5]);
            }
            byMount.put(mount, m);
        }
        return new ArrayList<>(byMount.values());
    }

    private static String octal(String s) {
        Matcher m = Pattern.compile("\\\\([0-7]{3})").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
        m.appendTail(sb);
        return sb.toString();
    }
}
