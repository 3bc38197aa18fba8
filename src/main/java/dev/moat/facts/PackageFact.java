package dev.moat.facts;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * Whether a Debian package is installed, and its version, read from dpkg's status file with one
 * {@code awk} (about a third of {@code dpkg-query}'s CPU on the host); key {@code pkg:NAME}.
 * {@code dpkg-query} answers instead when dpkg has journal entries not yet merged into the status
 * file ({@code /var/lib/dpkg/updates}, after an interrupted dpkg) or the name has an architecture. One fact per package so that a change to one package invalidates only its own
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
        String query = "dpkg-query -W -f='${db:Status-Abbrev}|${Version}\\n' -- " + Sh.q(name) + " 2>/dev/null; :";
        if (name.contains(":")) return query;
        String awk = "awk -v p=" + Sh.q("Package: " + name) + " '$0 == p { f = 1; st = \"\"; v = \"\"; next }"
                + " f && $0 == \"\" { print st \"|\" v; f = 0 } f && /^Status: / { st = substr($0, 9) }"
                + " f && /^Version: / { v = substr($0, 10) } END { if (f) print st \"|\" v }' $s";
        // In a batched read ($moat_memo) the answer is kept, so the package's other facts (AptAvailableFact) read it without a second awk.
        String memo = "\"$moat_memo/pkg-" + name + "\"";
        return "s=/var/lib/dpkg/status; set -- /var/lib/dpkg/updates/[0-9]*\n"
                + "if [ -e \"$1\" ] || [ ! -r $s ]; then " + query + "\n"
                + "elif [ -n \"${moat_memo:-}\" ] && [ -d \"$moat_memo\" ]; then [ -f " + memo + " ] || " + awk + " >" + memo + "\n"
                + "  while IFS= read -r l || [ -n \"$l\" ]; do printf '%s\\n' \"$l\"; done <" + memo + "\nelse\n"
                + awk + "\nfi";
    }

    @Override
    public PackageState parse(FactOutput out) {
        String status = "";
        String version = null;
        for (String line : out.text().split("\n")) {
            int bar = line.indexOf('|');
            if (bar < 0) continue;
            String s = abbrev(line.substring(0, bar)).strip();
            // A multi-arch package prints one line per architecture; any installed one counts.
            if (s.length() >= 2 && s.charAt(1) == 'i') {
                return new PackageState(name, true, line.substring(bar + 1).strip(), s);
            }
            status = s;
        }
        return new PackageState(name, false, version, status);
    }

    /** dpkg's {@code ${db:Status-Abbrev}} (want, status, error flag) of a status file's {@code install ok installed}; an abbreviation as it is. */
    static String abbrev(String status) {
        String[] w = status.strip().split(" ");
        if (w.length != 3) return status;
        String want = switch (w[0]) {
            case "install" -> "i";
            case "hold" -> "h";
            case "deinstall" -> "r";
            case "purge" -> "p";
            default -> "u";
        };
        String state = switch (w[2]) {
            case "installed" -> "i";
            case "config-files" -> "c";
            case "half-installed" -> "H";
            case "unpacked" -> "U";
            case "half-configured" -> "F";
            case "triggers-awaited" -> "W";
            case "triggers-pending" -> "t";
            default -> "n";
        };
        return want + state + (w[1].equals("reinstreq") ? "R" : " ");
    }
}
