package dev.moat.modules.system;

import java.util.Map;
import java.util.Set;

/**
 * What {@link UnitFact} read: whether systemd is PID 1, the unit's {@code systemctl show}
 * properties ({@code status} in Ansible's result), its {@code is-enabled} word, and (no unit) how
 * many loaded units need a daemon-reload. The predicates are Ansible's {@code systemd_service}'s.
 */
public record UnitState(String name, boolean systemd, Map<String, String> status, String isEnabled, int staleUnits) {
    /** {@code is-enabled} words Ansible counts as enabled (exit 0 and not indirect or alias). */
    private static final Set<String> ENABLED = Set.of("enabled", "enabled-runtime", "static", "generated", "transient");

    public UnitState {
        status = Map.copyOf(status);
        isEnabled = isEnabled == null ? "" : isEnabled;
    }

    /** systemd knows the unit (a unit file, or a masked name). */
    public boolean found() {
        String load = status.getOrDefault("LoadState", "");
        return !load.isEmpty() && !load.equals("not-found");
    }

    public boolean masked() {
        return isEnabled.equals("masked");
    }

    public boolean enabled() {
        return ENABLED.contains(isEnabled);
    }

    /** Has no [Install] section: enable and disable do nothing to it. */
    public boolean isStatic() {
        return isEnabled.equals("static") || isEnabled.equals("generated") || isEnabled.equals("transient");
    }

    public boolean running() {
        String a = status.getOrDefault("ActiveState", "");
        return a.equals("active") || a.equals("activating");
    }

    public boolean deactivating() {
        return status.getOrDefault("ActiveState", "").equals("deactivating");
    }

    /** Its unit file changed on disk since systemd loaded it. */
    public boolean needsReload() {
        return "yes".equals(status.get("NeedDaemonReload"));
    }
}
