package dev.moat.compose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;

/**
 * The files that may start a container again with {@code docker run}: systemd units under
 * {@code /etc/systemd/system} and their drop-ins ({@code UNIT.service.d/*.conf}), the scripts their
 * {@code Exec*=} lines run, and {@code /etc/rc.local}; only those that mention docker, up to 256 KiB
 * each. Each comes as {@code @@file<TAB>BYTES<TAB>PATH<TAB>UNIT} and its bytes ({@code UNIT} is the
 * unit a file belongs to or runs for, empty for rc.local).
 */
public record StartFilesFact() implements Fact<List<StartFilesFact.StartFile>> {
    /** A file that mentions docker: its path, the unit it is or that runs it (null if none), its text. */
    public record StartFile(String path, String unit, String text) {
        /** A unit file or drop-in (as opposed to a script). */
        public boolean unitFile() {
            return path.startsWith(UNITS + "/");
        }
    }

    static final String UNITS = "/etc/systemd/system";

    @Override
    public String key() {
        return "docker:start-files";
    }

    @Override
    public String script() {
        // Host CPU: one grep -l over every candidate at once instead of a grep -q per file (most are
        // units and the binaries they run, which do not mention docker). Exact: grep -l lists each
        // argument that grep -q would have accepted (binary files included, unreadable ones not),
        // and the files are then framed in the order the loop met them, duplicates included. The
        // records are PATH<TAB>UNIT lines, so a path or unit with a tab or newline (a unit file's
        // name; an Exec path stops at the first blank) takes the old path, a grep per file.
        return "nl='\n'; tab='\t'; rec=; fb=\n"
                + "add() {\n"
                + "  [ -f \"$1\" ] || return 0\n"
                + "  case \"$1$2\" in *\"$nl\"*|*\"$tab\"*) fb=1;; esac\n"
                + "  rec=\"$rec$1$tab$2$nl\"\n"
                + "}\n"
                + walk("add")
                + "if [ -n \"$fb\" ]; then\n"
                + "emit() {\n"
                + "  [ -f \"$1\" ] || return 0\n"
                + "  grep -q docker \"$1\" 2>/dev/null || return 0\n"
                + "  n=$(wc -c < \"$1\" 2>/dev/null) || return 0\n"
                + "  [ \"$n\" -le 262144 ] || return 0\n"
                + "  printf '@@file\\t%s\\t%s\\t%s\\n' \"$n\" \"$1\" \"$2\"; cat -- \"$1\"\n"
                + "}\n"
                + walk("emit")
                + "exit 0\n"
                + "fi\n"
                + "o=$IFS; IFS=$nl; set -f; set --\n"
                + "for r in $rec; do set -- \"$@\" \"${r%%\"$tab\"*}\"; done\n"
                + "m=; [ $# -eq 0 ] || m=$(grep -l docker \"$@\" 2>/dev/null)\n"
                + "[ -n \"$m\" ] || exit 0\n"
                + "for r in $rec; do\n"
                + "  p=${r%%\"$tab\"*}; u=${r#*\"$tab\"}\n"
                + "  case \"$nl$m$nl\" in *\"$nl$p$nl\"*) ;; *) continue;; esac\n"
                + "  n=$(wc -c < \"$p\" 2>/dev/null) || continue\n"
                + "  [ \"$n\" -le 262144 ] || continue\n"
                + "  printf '@@file\\t%s\\t%s\\t%s\\n' \"$n\" \"$p\" \"$u\"; cat -- \"$p\"\n"
                + "done\n"
                + "exit 0\n";
    }

    /**
     * The walk over the units, calling {@code fn PATH UNIT} for each unit file and drop-in, each
     * script its Exec lines run (read by the shell itself, as sed's
     * {@code 's/^[[:space:]]*Exec[A-Za-z]*=[-@+!:]*\(\/[^[:space:]]*\).*\/\1/p'} would), and rc.local.
     */
    private static String walk(String fn) {
        return "for f in " + UNITS + "/*.service " + UNITS + "/*.service.d/*.conf; do\n"
                + "  [ -f \"$f\" ] || continue\n"
                + "  u=${f#" + UNITS + "/}; u=${u%%.d/*}\n"
                + "  " + fn + " \"$f\" \"$u\"\n"
                + "  [ -r \"$f\" ] || continue\n"
                + "  while IFS= read -r l || [ -n \"$l\" ]; do\n"
                + "    l=${l#\"${l%%[![:space:]]*}\"}\n"
                + "    case $l in Exec*=*) ;; *) continue;; esac\n"
                + "    k=${l%%=*}; k=${k#Exec}\n"
                + "    case $k in *[!A-Za-z]*) continue;; esac\n"
                + "    x=${l#*=}; x=${x#\"${x%%[!@+!:-]*}\"}\n"
                + "    case $x in /*) x=${x%%[[:space:]]*};; *) continue;; esac\n"
                + "    case \"$x\" in */docker|*/sh|*/bash|*/dash|*/env) continue;; esac\n"
                + "    " + fn + " \"$x\" \"$u\"\n"
                + "  done <\"$f\"\n"
                + "done\n"
                + fn + " /etc/rc.local ''\n";
    }

    @Override
    public List<StartFile> parse(FactOutput out) throws TaskException {
        return parse(out.stdout());
    }

    /** Reads the framed files; a script named by several units is kept once, with the first. */
    public static List<StartFile> parse(byte[] raw) throws TaskException {
        List<StartFile> files = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int i = 0;
        while (i < raw.length) {
            int nl = i;
            while (nl < raw.length && raw[nl] != '\n') nl++;
            String head = new String(raw, i, nl - i, StandardCharsets.UTF_8);
            String[] f = head.split("\t", -1);
            if (f.length != 4 || !f[0].equals("@@file")) throw new TaskException("container_ports: cannot read the start files: '" + head + "'");
            int n;
            try {
                n = Integer.parseInt(f[1].trim());
            } catch (NumberFormatException e) {
                throw new TaskException("container_ports: cannot read the start files: '" + head + "'");
            }
            int from = nl + 1;
            if (from + n > raw.length) throw new TaskException("container_ports: " + f[2] + " was cut short");
            String text = new String(Arrays.copyOfRange(raw, from, from + n), StandardCharsets.UTF_8);
            if (seen.add(f[2])) files.add(new StartFile(f[2], f[3].isEmpty() ? null : f[3], text));
            i = from + n;
        }
        return files;
    }
}
