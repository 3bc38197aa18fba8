package dev.moat.modules.ufw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.facts.CommandOutput;
import dev.moat.facts.FileState;
import dev.moat.module.TaskException;

/**
 * UFW on a host as moat sees it: whether it is installed and active, its default policies per
 * direction ({@code incoming}, {@code outgoing}, {@code routed} → allow, deny or reject), and its
 * rules. Active comes from the kernel as {@code ufw status} decides it ({@link UfwLive}); defaults
 * from {@code /etc/default/ufw}, which {@code ufw default} rewrites; rules from the user rules files.
 */
public record UfwState(boolean installed, boolean active, Map<String, String> defaults, List<UfwRule> rules) {
    public static final List<String> DIRECTIONS = List.of("incoming", "outgoing", "routed");

    public UfwState {
        defaults = Map.copyOf(defaults);
        rules = List.copyOf(rules);
    }

    /**
     * What the facts say; a missing ufw is an error unless {@code lenient} (a check run, where an
     * earlier task may install it). {@code status} is {@link UfwLive#FACT}'s output (or, as recorded
     * earlier, {@code ufw status verbose}'s).
     */
    public static UfwState of(CommandOutput status, FileState defaultsFile, FileState rules4, FileState rules6, boolean lenient)
            throws TaskException {
        UfwLive live = UfwLive.parse(status).require(lenient);
        return new UfwState(live.installed(), live.active(), defaults(defaultsFile), UfwTuples.parse(text(rules4), text(rules6)));
    }

    private static String text(FileState f) {
        return f.isFile() ? f.text() : null;
    }

    /** Policies from /etc/default/ufw; ufw's own defaults (deny, allow, deny) where unset. */
    static Map<String, String> defaults(FileState f) {
        Map<String, String> d = new LinkedHashMap<>(Map.of("incoming", "deny", "outgoing", "allow", "routed", "deny"));
        String t = f.isFile() ? f.text() : null;
        if (t == null) return d;
        for (String line : t.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (eq < 0 || l.startsWith("#")) continue;
            String name = l.substring(0, eq);
            String v = l.substring(eq + 1).replace("\"", "").replace("'", "").strip();
            String policy = v.equals("ACCEPT") ? "allow" : v.equals("DROP") ? "deny" : v.equals("REJECT") ? "reject" : null;
            if (policy == null) continue;
            if (name.equals("DEFAULT_INPUT_POLICY")) d.put("incoming", policy);
            else if (name.equals("DEFAULT_OUTPUT_POLICY")) d.put("outgoing", policy);
            else if (name.equals("DEFAULT_FORWARD_POLICY")) d.put("routed", policy);
        }
        return d;
    }

    public UfwState with(boolean active, Map<String, String> defaults, List<UfwRule> rules) {
        return new UfwState(installed, active, defaults, rules);
    }

    /** The state as lines for a before/after diff: status, defaults, then each rule. */
    public String listing() {
        List<String> l = new ArrayList<>();
        l.add("status: " + (active ? "active" : "inactive"));
        for (String d : DIRECTIONS) l.add("default " + d + ": " + defaults.get(d));
        for (UfwRule r : rules) l.add(r.display());
        return String.join("\n", l) + "\n";
    }
}
