package dev.moat.scan;

import java.util.List;

import dev.moat.transport.Sh;

/**
 * One read of the systemd units for every fact of a batch that looks for listen-address
 * assignments ({@code OLLAMA_HOST=...}): listen_local's {@code EnvFilesFact} and the exposure
 * audit's env-files section both searched {@code /etc/systemd/system /run/systemd/system
 * /lib/systemd/system /usr/lib/systemd/system} (hundreds of files on a Debian host) twice each.
 * Inside a batched read ({@code $moat_memo} set by {@code FactBatch}) the first of them runs
 * {@link #fill()}, which keeps in the memo, under a name made from the commands themselves (other
 * directories or variables get other files):
 * <ul>
 * <li>{@code $ue.u}: {@code grep -rlIsE ASSIGN UNITS OTHER}, the files that assign a variable;</li>
 * <li>{@code $ue.e}: the files the units name with {@code EnvironmentFile=} (sorted, at most 100),
 *     exactly as both facts computed them;</li>
 * <li>{@code $ue.m}: of those, the existing absolute ones without a systemd specifier that assign a
 *     variable, by one {@code grep -lIsE} over all of them instead of one grep per file (grep -l
 *     prints the matching files in argument order, as the loop did one by one).</li>
 * </ul>
 * Without a memo (a fact run alone, {@code moat scan --inside}) each fact runs its own search as before.
 */
public record UnitEnvScan(List<String> unitDirs, List<String> otherFiles, List<String> vars) {
    /** {@code grep -E} pattern (shell-quoted) of a unit's {@code EnvironmentFile=} line. */
    static final String EF = "'^[[:space:]]*EnvironmentFile[[:space:]]*='";

    public UnitEnvScan {
        unitDirs = List.copyOf(unitDirs);
        otherFiles = List.copyOf(otherFiles);
        vars = List.copyOf(vars);
    }

    /** {@code grep -E} pattern (shell-quoted) of an uncommented assignment of one of the variables. */
    public String assign() {
        return Sh.q("^[^#]*(" + String.join("|", vars) + ")[[:space:]]*=");
    }

    /** The unit directories, each shell-quoted with a leading space. */
    public String units() {
        StringBuilder s = new StringBuilder();
        for (String d : unitDirs) s.append(' ').append(Sh.q(d));
        return s.toString();
    }

    /** The other files and directories searched, each shell-quoted with a leading space. */
    public String others() {
        StringBuilder s = new StringBuilder();
        for (String d : otherFiles) s.append(' ').append(Sh.q(d));
        return s.toString();
    }

    /**
     * The files the units name with {@code EnvironmentFile=}, one per line, sorted, at most 100:
     * {@code -} (optional) and quotes taken off; a specifier ({@code %h}) is left for the reader to skip.
     */
    public String namedFiles() {
        return "grep -rIshE " + EF + units() + " 2>/dev/null"
                + " | sed -e 's/^[^=]*=[[:space:]]*//' -e 's/^-//' -e 's/^\"//' -e 's/\"[[:space:]]*$//' -e 's/[[:space:]]*$//' | sort -u | head -n 100";
    }

    /**
     * Shell for an {@code if} condition: true inside a batched read, with {@code $ue} the memo's
     * prefix (filled by this call if no fact filled it yet); false without a memo.
     */
    public String fill() {
        String body = "grep -rlIsE " + assign() + units() + others() + " >\"$ue.u\" 2>/dev/null\n"
                + "  " + namedFiles() + " >\"$ue.e\"\n"
                + "  set --; while IFS= read -r e; do case \"$e\" in /*%*) ;; /*) [ -f \"$e\" ] && set -- \"$@\" \"$e\";; esac; done <\"$ue.e\"\n"
                + "  if [ $# -gt 0 ]; then grep -lIsE " + assign() + " -- \"$@\" >\"$ue.m\" 2>/dev/null; else : >\"$ue.m\"; fi\n";
        String key = Integer.toHexString(body.hashCode()) + "-" + body.length();
        // A function, so that its set -- leaves the caller's arguments alone; .ok last, so a fact
        // stopped half-way leaves no half memo for the next.
        return "moat_ue_fill() {\n"
                + "  [ -n \"${moat_memo:-}\" ] && [ -d \"$moat_memo\" ] || return 1\n"
                + "  ue=\"$moat_memo/ue-" + key + "\"\n"
                + "  [ -f \"$ue.ok\" ] && return 0\n"
                + "  " + body
                + "  : >\"$ue.ok\"\n"
                + "}\n"
                + "moat_ue_fill";
    }
}
