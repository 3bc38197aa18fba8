package dev.moat.engine;

/** How one task ended on one host. */
public enum Status {
    OK, CHANGED, FAILED, SKIPPED, UNREACHABLE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
