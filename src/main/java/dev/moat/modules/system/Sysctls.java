package dev.moat.modules.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's {@code ansible.posix.sysctl} file rules, pure: the values a sysctl file sets (a
 * repeated key: its last value), and the whole file rewritten with a key set or removed, every line
 * stripped, every {@code k = v} line normalized to {@code k=v} and later repeats of a key dropped.
 */
public final class Sysctls {
    private Sysctls() {}

    /** A kernel parameter name: dotted or slashed words, never an option. */
    public static boolean isName(String name) {
        return name != null && name.matches("[A-Za-z0-9_][A-Za-z0-9_./-]*");
    }

    /** The file's values, as Ansible reads them (a repeated key: its last value). */
    public static Map<String, String> values(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String raw : lines(text)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || !line.contains("=")) continue;
            int eq = line.indexOf('=');
            m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return m;
    }

    /** The file rewritten with {@code name} set to {@code value} (null: removed), as Ansible writes it. */
    public static String rewrite(String text, String name, String value) {
        List<String> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String raw : lines(text)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || !line.contains("=")) {
                out.add(line);
                continue;
            }
            int eq = line.indexOf('=');
            String k = line.substring(0, eq).strip();
            if (seen.contains(k)) continue;
            seen.add(k);
            if (!k.equals(name)) out.add(k + "=" + line.substring(eq + 1).strip());
            else if (value != null) out.add(k + "=" + value);
        }
        if (!seen.contains(name) && value != null) out.add(name + "=" + value);
        StringBuilder b = new StringBuilder();
        for (String l : out) b.append(l).append('\n');
        return b.toString();
    }

    /** Ansible's comparison of a live value with a wanted one: the same whitespace-separated words. */
    public static boolean same(String live, String wanted) {
        if (live == null || wanted == null) return false;
        return List.of(live.strip().split("\\s+")).equals(List.of(wanted.strip().split("\\s+")));
    }

    private static List<String> lines(String text) {
        List<String> l = new ArrayList<>();
        if (text == null || text.isEmpty()) return l;
        for (String s : text.split("\n", -1)) l.add(s);
        if (text.endsWith("\n")) l.remove(l.size() - 1);
        return l;
    }
}
