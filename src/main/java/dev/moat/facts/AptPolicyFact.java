package dev.moat.facts;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * The installed and candidate versions of a package from the local apt cache
 * ({@code LC_ALL=C apt-cache policy NAME}); key {@code aptpolicy:NAME}. Used by {@code apt state: latest}.
 * An unknown package (apt prints nothing) reads as both versions null. With a {@code release} (apt's
 * {@code default_release}, {@code -t}), the candidate is the one that release's priority picks.
 */
public record AptPolicyFact(String name, String release) implements Fact<AptPolicy> {
    public AptPolicyFact {
        new PackageFact(name); // same name rules
        if (release != null && !release.matches("[A-Za-z0-9][A-Za-z0-9.+~_/-]*")) throw new IllegalArgumentException("bad release: " + release);
    }

    /** The candidate as apt chooses it by default. */
    public AptPolicyFact(String name) {
        this(name, null);
    }

    @Override
    public String key() {
        return "aptpolicy:" + name + (release == null ? "" : "@" + release);
    }

    @Override
    public String script() {
        String t = release == null ? "" : " -o APT::Default-Release=" + Sh.q(release);
        return "LC_ALL=C apt-cache" + t + " policy " + Sh.q(name) + " 2>/dev/null; :";
    }

    @Override
    public AptPolicy parse(FactOutput out) {
        String installed = null;
        String candidate = null;
        for (String line : out.text().split("\n")) {
            String t = line.strip();
            if (t.startsWith("Installed:")) installed = version(t.substring("Installed:".length()));
            else if (t.startsWith("Candidate:")) candidate = version(t.substring("Candidate:".length()));
        }
        return new AptPolicy(name, installed, candidate);
    }

    private static String version(String v) {
        v = v.strip();
        return v.isEmpty() || v.equals("(none)") ? null : v;
    }
}
