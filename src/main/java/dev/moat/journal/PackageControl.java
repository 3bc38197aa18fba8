package dev.moat.journal;

import java.util.ArrayList;
import java.util.List;

import dev.moat.transport.Sh;

/**
 * Shell that makes a package install exactly reversible. Before the install, dpkg's package states
 * are saved in the journal entry ({@code $d/dpkg.before}); right after it (failed or not), the
 * packages that became installed, dependencies included ({@code nginx} brings {@code nginx-common},
 * which keeps /etc/nginx), are recorded in {@code $d/installed} and printed as one
 * {@code @@packages NAME...} line. Rollback purges exactly those, except a package that had only its
 * configuration files left before, which is removed so they stay, then checks with dpkg that each
 * is back in its old state.
 */
final class PackageControl {
    private PackageControl() {}

    /** One {@code PACKAGE STATUS} line per package dpkg knows, e.g. {@code nginx-common installed}. */
    private static final String STATES = states("");

    /** The states of {@code args} (shell words), or of every package when empty. */
    private static String states(String args) {
        return "dpkg-query -W -f='${binary:Package} ${db:Status-Status}\\n' " + args + " 2>/dev/null | sort";
    }

    /** An awk program printing the packages present in any form (installed, or left unpacked or half-configured). */
    private static final String PRESENT = Sh.q("$2!=\"not-installed\" && $2!=\"config-files\"{print $1}");

    /** The packages present before the change, from the saved states. */
    private static final String BEFORE_PRESENT = "awk " + PRESENT + " \"$d/dpkg.before\" | sort > \"$d/dpkg.before.installed\"\n";

    static String snapshot() {
        return STATES + " > \"$d/dpkg.before\"\n";
    }

    /** Records the newly installed set; a no-op for an entry saved without dpkg's states. */
    static String settle() {
        return "[ -f \"$d/dpkg.before\" ] || exit 0\n"
                + BEFORE_PRESENT
                + STATES + " | awk " + PRESENT + " | sort > \"$d/dpkg.after\"\n"
                + "comm -13 \"$d/dpkg.before.installed\" \"$d/dpkg.after\" > \"$d/installed.tmp\" && mv \"$d/installed.tmp\" \"$d/installed\"\n"
                + "printf '@@packages %s\\n' \"$(tr '\\n' ' ' < \"$d/installed\")\"\n";
    }

    /**
     * Purges (or removes) the recorded set and verifies it. Without a recorded set (moat died before
     * recording it) only the task's own {@code names} that were absent before are purged, and the
     * other packages new since are named as not restored (they may be another run's or the admin's);
     * without dpkg's states at all (a journal from before they were saved), the task's own names.
     */
    static String restore(Undo.RemovePackages r) {
        StringBuilder lines = new StringBuilder();
        for (String n : r.names()) lines.append(n).append('\n');
        String names = Sh.q(lines.toString());
        String apt = "DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=120";
        return "unsure=\n"
                + "if [ -f \"$d/dpkg.before\" ] && [ -f \"$d/installed\" ]; then\n"
                + "  awk '$2==\"config-files\"{print $1}' \"$d/dpkg.before\" | sort > \"$d/dpkg.before.rc\"\n"
                + "  purge=$(comm -23 \"$d/installed\" \"$d/dpkg.before.rc\"); remove=$(comm -12 \"$d/installed\" \"$d/dpkg.before.rc\")\n"
                + "elif [ -f \"$d/dpkg.before\" ]; then\n"
                // moat died before recording what the install brought: purge only the task's own packages
                // that were absent before; anything else new since may be someone else's, so name it, don't touch it.
                + "  " + BEFORE_PRESENT
                + "  printf '%s' " + names + " | sort -u > \"$d/named\"\n"
                + "  purge=$(comm -23 \"$d/named\" \"$d/dpkg.before.installed\"); remove=\n"
                + "  unsure=$(" + STATES + " | awk " + PRESENT + " | sort | comm -23 - \"$d/dpkg.before.installed\" | comm -23 - \"$d/named\" | tr '\\n' ' ')\n"
                + "else\n"
                + "  purge=$(printf '%s' " + names + "); remove=\n"
                + "fi\n"
                + "[ -z \"$purge\" ] || " + apt + " purge $purge >/dev/null\n"
                + "[ -z \"$remove\" ] || " + apt + " remove $remove >/dev/null\n"
                // Purged: dpkg knows nothing of it any more; removed: only its configuration files remain.
                + "left=$( { [ -z \"$purge\" ] || " + states("$purge") + " | awk '$2!=\"not-installed\"{print $1\" (\"$2\")\"}';"
                + " [ -z \"$remove\" ] || " + states("$remove") + " | awk '$2!=\"config-files\"{print $1\" (\"$2\")\"}'; } | tr '\\n' ' ')\n"
                + "[ -z \"$left\" ] || { echo \"still installed after the rollback: $left\" >&2; exit 5; }\n"
                + "[ -z \"$unsure\" ] || { echo \"not restored exactly: the run was killed before it recorded what its install pulled in;"
                + " installed since, left alone: $unsure\" >&2; exit 5; }\n";
    }

    /** Sets a package's dpkg selection back and checks it took. */
    static String restoreSelection(Undo.RestoreSelection r) {
        String line = Sh.q(r.name() + " " + r.selection());
        return "printf '%s\\n' " + line + " | dpkg --set-selections\n"
                + "[ \"$(dpkg --get-selections -- " + Sh.q(r.name()) + " | awk '{print $2}')\" = " + Sh.q(r.selection()) + " ] || { echo "
                + Sh.q("the selection of " + r.name() + " is not " + r.selection() + " after the rollback") + " >&2; exit 5; }\n";
    }

    /** The set {@link #settle} printed, or null when it printed none. */
    static List<String> parse(String out) {
        for (String l : out.split("\n")) {
            if (!l.startsWith("@@packages")) continue;
            List<String> r = new ArrayList<>();
            for (String n : l.substring("@@packages".length()).trim().split("\\s+")) if (!n.isEmpty()) r.add(n);
            return r;
        }
        return null;
    }
}
