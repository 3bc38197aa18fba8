package dev.moat.modules.pip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link PipFact} read: whether the virtualenv exists, its pip (null: none found), its
 * packages as {@code name==version} lines, and the dry run's exit status, the distributions it
 * would install (null when it did not run or failed) and what it printed on failure.
 */
public record PipState(boolean exists, String pip, List<String> freeze, Integer dryRc, List<Dist> installs, String dryError) {
    public PipState {
        freeze = List.copyOf(freeze);
        installs = installs == null ? null : List.copyOf(installs);
    }

    /** One distribution a dry run would install. */
    public record Dist(String name, String version) {}

    public static PipState absent() {
        return new PipState(false, null, List.of(), null, null, "");
    }

    /** PEP 503's normalised name, as Ansible's Package.canonicalize_name. */
    public static String canonical(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }

    /** Installed versions by canonical name. */
    public Map<String, String> installed() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : freeze) {
            int eq = line.indexOf("==");
            if (eq > 0) m.put(canonical(line.substring(0, eq)), line.substring(eq + 2));
        }
        return m;
    }

    /** The package set after the dry run's installs, as sorted {@code name==version} lines. */
    public List<String> after(List<Dist> adds) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : freeze) lines.put(canonical(line.substring(0, line.indexOf("=="))), line);
        for (Dist d : adds) lines.put(canonical(d.name()), d.name() + "==" + d.version());
        List<String> out = new ArrayList<>(lines.values());
        out.sort(String.CASE_INSENSITIVE_ORDER);
        return out;
    }
}
