package dev.moat.engine;

/** A host's counts at the end of a run, as Ansible's PLAY RECAP line. */
public record HostRecap(String host, int ok, int changed, int failed, int skipped, int unreachable, int ignored,
                        String note) {
    public static HostRecap empty(String host) {
        return new HostRecap(host, 0, 0, 0, 0, 0, 0, null);
    }

    public HostRecap add(TaskResult r) {
        int o = ok, c = changed, f = failed, s = skipped, u = unreachable, i = ignored;
        switch (r.status()) {
            case OK: o++; break;
            case CHANGED: o++; c++; break;
            case FAILED: if (r.ignored()) i++; else f++; break;
            case SKIPPED: s++; break;
            case UNREACHABLE: u++; break;
            default: break;
        }
        return new HostRecap(host, o, c, f, s, u, i, note);
    }

    /** Adds {@code text} to the host's note (after what it already says). */
    public HostRecap withNote(String text) {
        return new HostRecap(host, ok, changed, failed, skipped, unreachable, ignored, note == null ? text : note + "; " + text);
    }
}
