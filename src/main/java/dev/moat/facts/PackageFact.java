package dev.moat.facts;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * Whether a Debian package is installed, and its version, via {@code dpkg-query}; key
 * {@code pkg:NAME}. One fact per package so that a change to one package invalidates only its own
 * read (the engine dedupes equal keys across tasks). A package dpkg does not know reads as not installed.
 */
public record PackageFact(String name) implements Fact<PackageState> {
    public PackageFact {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9+.:_-]*")) {
            throw new IllegalArgumentException("bad package name: " + name);
        }
    }

    @Override
    public String key() {
        return "pkg:" + name;
    }

    @Override
    public String script() {
        return "dpkg-query -W -f='${db:Status-Abbrev}|${Version}\\n' -- " + Sh.q(name) + " 2>/dev/null; :";
    }

    @Override
    public PackageState parse(FactOutput out) {
        String status = "";
        String version = null;
        for (String line : out.text().split("\n")) {
            int bar = line.indexOf('|');
            if (bar < 0) continue;
            String s = line.substring(0, bar).strip();
            // A multi-arch package prints one line per architecture; any installed one counts.
            if (s.length() >= 2 && s.charAt(1) == 'i') {
                return new PackageState(name, true, line.substring(bar + 1).strip(), s);
            }
            status = s;
        }
        return new PackageState(name, false, version, status);
    }
}
