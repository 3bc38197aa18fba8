package dev.moat.playbook;

import java.util.Locale;

/**
 * moat's own play keyword {@code rollback:}, the unit undone when a task fails on a host:
 * {@code host} (default) the whole run on that host, {@code block} only the failing block
 * (earlier blocks stay applied), {@code none} nothing. A block may set it too, for its tasks.
 */
public enum Rollback {
    HOST, BLOCK, NONE;

    /** The value as written in YAML, or null when it is not one of host|block|none. */
    public static Rollback parse(String s) {
        if (s == null) return null;
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "host": return HOST;
            case "block": return BLOCK;
            case "none": case "false": return NONE;
            default: return null;
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
