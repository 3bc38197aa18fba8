package dev.moat.modules;

import dev.moat.facts.CommandFact;
import dev.moat.transport.Sh;

/**
 * {@code apt: deb:} — a {@code .deb} on the host, or a URL the host downloads. The read fetches a URL
 * into a private temporary directory (as Ansible does on every run), prints the package's name and
 * version with {@code dpkg-deb -f}, and what dpkg has installed under that name; the install downloads
 * again and lets {@code apt-get} install the file with its dependencies.
 */
final class DebFile {
    private DebFile() {}

    /** The deb's fields and the installed state of its package, or {@code @@missing}/{@code @@fetch-failed}. */
    record Read(String error, String name, String version, String installed) {}

    static boolean isUrl(String src) {
        return src.contains("://");
    }

    /** Shell that puts the file in {@code $f} (downloading a URL into {@code $d}), or fails. */
    static String fetch(String src) {
        if (!isUrl(src)) return "f=" + Sh.q(src) + "\n";
        String u = Sh.q(src);
        return "d=$(mktemp -d) || exit 1\ntrap 'rm -rf \"$d\"' EXIT\nf=\"$d/package.deb\"\n"
                + "if command -v curl >/dev/null 2>&1; then curl -q -fsSL -o \"$f\" -- " + u + "\n"
                + "elif command -v wget >/dev/null 2>&1; then wget -q -O \"$f\" -- " + u + "\n"
                + "else python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' " + u + " \"$f\"; fi";
    }

    static CommandFact fact(String src) {
        return new CommandFact("deb:" + src, "(\n" + fetch(src) + (isUrl(src) ? " || { echo @@fetch-failed; exit 0; }\n" : "")
                + "[ -f \"$f\" ] || { echo @@missing; exit 0; }\n"
                + "p=$(dpkg-deb -f \"$f\" Package) && v=$(dpkg-deb -f \"$f\" Version) || { echo @@not-a-deb; exit 0; }\n"
                + "echo \"@@deb $p $v\"\n"
                + "echo \"@@installed $(dpkg-query -W -f='${db:Status-Abbrev}|${Version}\\n' -- \"$p\" 2>/dev/null | grep '^.i' | head -n 1)\"\n)");
    }

    static Read parse(String out) {
        String name = null, version = null, installed = null;
        for (String line : out.split("\n")) {
            if (line.equals("@@missing") || line.equals("@@fetch-failed") || line.equals("@@not-a-deb")) return new Read(line.substring(2), null, null, null);
            if (line.startsWith("@@deb ")) {
                String[] w = line.substring(6).strip().split(" ");
                name = w[0];
                version = w.length > 1 ? w[1] : null;
            } else if (line.startsWith("@@installed")) {
                String s = line.substring("@@installed".length()).strip();
                int bar = s.indexOf('|');
                installed = bar < 0 ? null : s.substring(bar + 1).strip();
            }
        }
        if (name == null) return new Read("not-a-deb", null, null, null);
        return new Read(null, name, version, installed);
    }
}
