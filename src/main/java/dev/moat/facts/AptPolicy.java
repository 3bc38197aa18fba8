package dev.moat.facts;

/** {@code apt-cache policy} for one package: installed and candidate versions, null for "(none)" or unknown. */
public record AptPolicy(String name, String installed, String candidate) {
    /** Whether apt knows a version it could install. */
    public boolean installable() {
        return candidate != null;
    }
}
