package dev.moat.compose;

import dev.moat.module.SafeWrite;
import dev.moat.transport.Sh;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The shell that compose_ports' steps run on the host: write a file atomically, recreate services, verify bindings. */
public final class Scripts {
    private Scripts() {}

    /**
     * Replaces a compose file with stdin through {@link SafeWrite} (never following another user's
     * link or rename as root; mode and owner kept), refusing when the file is no longer what was
     * read ({@code sha256}), so a concurrent edit is never lost. A symlink is written through to its target.
     */
    public static String write(String path, String before) {
        return SafeWrite.replace(path, sha256(before), "compose_ports");
    }

    /** {@code cd DIR && COMMAND -f F... -p P up -d --no-deps --force-recreate SVC...}, and {@code up --no-start} for stopped services. */
    public static String recreate(String command, Recreate r) {
        StringBuilder s = new StringBuilder("set -e\ncd ").append(Sh.q(r.dir())).append('\n');
        String base = base(command, r);
        if (!r.running().isEmpty()) s.append(base).append(" up -d --no-deps --force-recreate").append(words(r.running())).append('\n');
        if (!r.stopped().isEmpty()) s.append(base).append(" up --no-start --no-deps --force-recreate").append(words(r.stopped())).append('\n');
        return s.toString();
    }

    static String base(String command, Recreate r) {
        StringBuilder s = new StringBuilder(command);
        for (String f : r.files()) s.append(" -f ").append(Sh.q(f));
        return s.append(" -p ").append(Sh.q(r.project())).toString();
    }

    /**
     * Inspects the project's containers of the recreated services and exits 1, naming each, when any
     * in-scope published port is bound to something other than loopback or the bind address (an
     * empty HostIp is every interface).
     */
    public static String verify(Recreate r, String bind, PortFilter filter) {
        StringBuilder s = new StringBuilder();
        s.append("inscope() {\n");
        if (filter.all()) {
            s.append("  return 0\n");
        } else {
            s.append("  for p in \"$1\" \"$2\"; do\n    case \"$p\" in ''|*[!0-9]*) continue;; esac\n");
            for (PortRange pr : filter.ranges()) {
                s.append("    if [ \"$p\" -ge ").append(pr.start()).append(" ] && [ \"$p\" -le ").append(pr.end()).append(" ]; then return 0; fi\n");
            }
            s.append("  done\n  return 1\n");
        }
        s.append("}\n");
        String b = Ip.strip(bind);
        s.append("bad=0\n")
         .append("for s in").append(words(r.services())).append("; do\n")
         .append("  for id in $(docker ps -aq --no-trunc --filter ").append(Sh.q("label=" + Container.PROJECT + "=" + r.project()))
         .append(" --filter \"label=").append(Container.SERVICE).append("=$s\"); do\n")
         .append("    out=$(docker inspect --format '{{.Name}}{{range $p, $b := .HostConfig.PortBindings}}{{range $b}} {{$p}}|{{.HostIp}}|{{.HostPort}}{{end}}{{end}}"
                 + "{{range $p, $b := .NetworkSettings.Ports}}{{range $b}} {{$p}}|{{.HostIp}}|{{.HostPort}}{{end}}{{end}}' \"$id\")"
                 + " || { echo \"compose_ports: cannot inspect container $id\" >&2; bad=1; continue; }\n")
         .append("    set -- $out\n    name=${1#/}\n    shift\n")
         .append("    for bnd in \"$@\"; do\n")
         .append("      cport=${bnd%%|*}; rest=${bnd#*|}; ip=${rest%%|*}; hport=${rest#*|}\n")
         .append("      inscope \"${cport%%/*}\" \"$hport\" || continue\n")
         .append("      case \"$ip\" in 127.*|::1|::ffff:127.*|").append(Sh.q(b)).append(") ;;\n")
         .append("        *) echo \"compose_ports: $name still publishes ${ip:-0.0.0.0}:$hport->$cport after recreation (service $s of project \"")
         .append(Sh.q(r.project())).append("\")\" >&2; bad=1;;\n")
         .append("      esac\n    done\n  done\ndone\n")
         .append("exit $bad\n");
        return s.toString();
    }

    private static String words(List<String> ws) {
        StringBuilder s = new StringBuilder();
        for (String w : ws) s.append(' ').append(Sh.q(w));
        return s.toString();
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
