package dev.moat.facts;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * Whether apt could install a package that is not installed: {@code INSTALLED} when dpkg has it
 * installed (then nothing more is read), else from {@code apt-cache showpkg} whether the cache holds a
 * version of it ({@code VERSION}), only packages that provide it ({@code PROVIDED}, a virtual package
 * apt resolves) or nothing ({@code NONE}); key {@code aptavail:NAME}. Ansible's apt fails such a
 * package with "No package matching 'NAME' is available", in check mode too. Read again after an
 * {@code apt-get update} ({@code apt:cache}) or a change to the package.
 */
public record AptAvailableFact(String name) implements Fact<AptAvailableFact.Availability> {
    /** What apt's cache says of the package. */
    public enum Availability { INSTALLED, VERSION, PROVIDED, NONE }

    public AptAvailableFact {
        new PackageFact(name); // same name rules
    }

    @Override
    public String key() {
        return "aptavail:" + name;
    }

    @Override
    public String script() {
        // The status as PackageFact reads it: "install ok installed|VER" (status file) or "ii |VER" (dpkg-query).
        return "st=$(" + new PackageFact(name).script() + "\n)\ncase \"$st\" in *\" installed|\"*|?i*) echo installed ;;\n"
                + "*) LC_ALL=C apt-cache showpkg " + Sh.q(name) + " 2>/dev/null | awk '/^[A-Z][A-Za-z ]*: ?$/ { s = $0; next }"
                + " s ~ /^Versions:/ && /^[^ ]/ { v = 1 } s ~ /^Reverse Provides:/ && NF { p = 1 }"
                + " END { print v ? \"version\" : p ? \"provided\" : \"none\" }' ;;\nesac";
    }

    @Override
    public Availability parse(FactOutput out) {
        String t = out.text().strip();
        if (t.endsWith("installed")) return Availability.INSTALLED;
        if (t.endsWith("version")) return Availability.VERSION;
        if (t.endsWith("provided")) return Availability.PROVIDED;
        return Availability.NONE;
    }
}
