package dev.moat.facts;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * The installed and candidate versions of a package from the local apt cache
 * ({@code LC_ALL=C apt-cache policy NAME}); key {@code aptpolicy:NAME}. Used by {@code apt state: latest}.
 * An unknown package (apt prints nothing) reads as both versions null.
 */
public record AptPolicyFact(String name) implements Fact<AptPolicy> {
    public AptPolicyFact {
        new PackageFact(name); // same name rules
    }

    @Override
    public String key() {
        return "aptpolicy:" + name;
    }

    @Override
    public String script() {
        return "LC_ALL=C apt-cache policy " + Sh.q(name) + " 2>/dev/null; :";
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
