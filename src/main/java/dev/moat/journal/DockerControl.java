package dev.moat.journal;

import java.util.regex.Pattern;

import dev.moat.transport.Sh;

/**
 * Undoes the creation of Docker objects ({@link Undo.RemoveDocker}): before the change the journal
 * notes what the name stood for ({@code $d/pre}: an ID, or a compose project's container IDs);
 * the restore removes what the name stands for now only when it is not that. A repository:tag that
 * named another image before is tagged back onto it when that image still exists.
 */
public final class DockerControl {
    private DockerControl() {}

    /** Container, network, image and compose project/service names: never an option, never shell. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./:@-]*");

    static final String PROJECT_LABEL = "com.docker.compose.project";
    static final String SERVICE_LABEL = "com.docker.compose.service";

    static String snapshot(Undo.RemoveDocker u) {
        if (u.kind().equals("compose")) {
            return "docker ps -aq --no-trunc --filter " + Sh.q("label=" + PROJECT_LABEL + "=" + u.name()) + " > \"$d/pre\"\n";
        }
        return "if docker " + u.kind() + " inspect --format '{{.Id}}' " + Sh.q(u.name()) + " > \"$d/pre\" 2>/dev/null; then :; else : > \"$d/pre\"; fi\n";
    }

    static String restore(Undo.RemoveDocker u) {
        String n = Sh.q(u.name());
        if (u.kind().equals("compose")) {
            StringBuilder s = new StringBuilder("for id in $(docker ps -aq --no-trunc --filter " + Sh.q("label=" + PROJECT_LABEL + "=" + u.name()) + "); do\n"
                    + "  grep -qx \"$id\" \"$d/pre\" && continue\n");
            if (!u.services().isEmpty()) {
                s.append("  svc=$(docker inspect --format '{{index .Config.Labels \"" + SERVICE_LABEL + "\"}}' \"$id\")\n  case \" ");
                for (String v : u.services()) s.append(v).append(' ');
                s.append("\" in *\" $svc \"*) ;; *) continue;; esac\n");
            }
            s.append("  docker rm -f \"$id\" >/dev/null || { echo \"cannot remove container $id of project \"").append(n).append(" >&2; exit 5; }\n")
             .append("done\n");
            return s.toString();
        }
        String rm = u.kind().equals("container") ? "docker rm -f" : u.kind().equals("network") ? "docker network rm" : "docker image rm";
        String s = "pre=$(cat \"$d/pre\")\n"
                + "cur=$(docker " + u.kind() + " inspect --format '{{.Id}}' " + n + " 2>/dev/null) || cur=\n"
                + "[ -z \"$cur\" ] || [ \"$cur\" = \"$pre\" ] || " + rm + " " + (u.kind().equals("image") ? n : "\"$cur\"") + " >/dev/null"
                + " || { echo " + Sh.q("cannot remove " + u.kind() + " " + u.name()) + " >&2; exit 5; }\n";
        if (u.kind().equals("image")) {
            s += "if [ -n \"$pre\" ] && [ \"$cur\" != \"$pre\" ]; then docker image inspect \"$pre\" >/dev/null 2>&1 && docker tag \"$pre\" " + n
                    + " || { echo " + Sh.q("cannot undo: the image " + u.name() + " named before is gone") + " >&2; exit 4; }; fi\n";
        }
        return s;
    }
}
