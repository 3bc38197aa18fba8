package dev.moat.journal;

import java.util.List;

import dev.moat.transport.Sh;

/**
 * Replaces a container by a new one made from a Docker Engine API create body, on the host, for
 * {@code container_ports} (the container with its ports on loopback) and for the journal's
 * {@link Undo.RecreateContainer} (the original again). One order for both, so the host is never
 * without the service longer than a stop and a start, and the old container is never lost before
 * the new one runs:
 * <ol>
 *   <li>the new container is created from the body under a temporary name ({@code NAME-moat-new});
 *       creating it first also holds the old one's anonymous volumes, so that even a {@code --rm}
 *       container's volumes survive its stop;</li>
 *   <li>the old one is stopped; the new one is started and checked (running, its
 *       {@code HostConfig.PortBindings} exactly as expected, the ports in scope live on loopback);</li>
 *   <li>on any failure the new one is removed and the old one started again (or, when it removed
 *       itself on stop, {@code --rm}, created again from the original's body), and the step fails;</li>
 *   <li>only then is the old one removed (without {@code -v}: its volumes stay, now the new one's)
 *       and the new one renamed to the old name.</li>
 * </ol>
 * The API is reached with {@code curl --unix-socket} on Docker's socket ({@code DOCKER_HOST} when
 * it names a unix socket); without curl the step fails before touching anything. Requests use the
 * API version the docker CLI negotiated, the one whose inspect the body was made from.
 */
public final class ContainerControl {
    private ContainerControl() {}

    /** Where the bodies of a container moat recreates are kept on the host, by the replaced container's ID. */
    public static final String DIR = StateDir.ROOT + "/containers";

    /** The directory of the container with ID {@code id} (root-only, like the journal). */
    public static String saved(String id) {
        return DIR + "/" + id;
    }

    /** Writes stdin as the original's create body ({@code create.json}) under {@link #saved}. */
    public static String saveOriginal(String name, String id) {
        return "set -e; umask 077\n"
                + "cur=$(docker container inspect --format '{{.Id}}' " + Sh.q(name) + " 2>/dev/null) || { echo "
                + Sh.q("container_ports: container " + name + " is gone") + " >&2; exit 1; }\n"
                + "[ \"$cur\" = " + Sh.q(id) + " ] || { echo " + Sh.q("container_ports: " + name + " is no longer the container that was read ("
                + id.substring(0, Math.min(12, id.length())) + "); run again") + " >&2; exit 1; }\n"
                + "mkdir -p " + Sh.q(DIR) + " && chmod 700 " + Sh.q(DIR) + "\n"
                + "mkdir -p " + Sh.q(saved(id)) + "\n"
                + "cat > " + Sh.q(saved(id) + "/create.json") + "\n";
    }

    /**
     * Replaces container {@code name} (ID {@code id}) by one made from stdin's body, started when
     * {@code start}; {@code image} is the image name the body asks for, which must still be
     * {@code imageId} (null when the body names the ID itself). After the start the new
     * container's {@code HostConfig.PortBindings} must print as {@code bindingsJson} and the live
     * bindings of {@code ports} must be on loopback or {@code bind}.
     */
    public static String replace(String name, String id, String image, String imageId, boolean start, String bindingsJson,
                                 String bind, List<String> ports) {
        StringBuilder s = new StringBuilder(LIB);
        s.append("name=").append(Sh.q(name)).append("; old=").append(Sh.q(id)).append("; dir=").append(Sh.q(saved(id))).append('\n');
        s.append("want=").append(Sh.q(bindingsJson)).append("; bind=").append(Sh.q(bind)).append("; ports=").append(Sh.q(String.join(" ", ports))).append('\n');
        s.append("umask 077; cat > \"$dir/new.json\"\n");
        s.append("[ \"$(docker container inspect --format '{{.Id}}' \"$name\" 2>/dev/null)\" = \"$old\" ] || fail \"$name is no longer the container that was read\"\n");
        if (image != null) {
            s.append("[ \"$(docker image inspect --format '{{.Id}}' ").append(Sh.q(image)).append(" 2>/dev/null)\" = ").append(Sh.q(imageId))
             .append(" ] || fail ").append(Sh.q(image + " no longer names the image " + name + " runs; nothing changed")).append('\n');
        }
        s.append("swap \"$dir/new.json\" \"$dir/create.json\" ").append(start ? 1 : 0).append(" forward\n");
        return s.toString();
    }

    /**
     * Puts the original container back from the journal entry {@code $d} (its inspect, its
     * bindings and whether it ran, saved by {@link #snapshot}) and its saved body: a no-op where
     * the change never replaced it, else the same swap as forward, checked against the saved bindings.
     */
    static String restore(Undo.RecreateContainer u) {
        StringBuilder s = new StringBuilder(LIB);
        s.append("name=").append(Sh.q(u.name())).append("; old=").append(Sh.q(u.id())).append("; dir=").append(Sh.q(u.saved())).append('\n');
        s.append("want=$(cat \"$d/bindings\"); ran=$(cat \"$d/running\")\n");
        s.append("start=0; [ \"$ran\" = true ] && start=1\n");
        s.append("if docker container inspect \"$old\" >/dev/null 2>&1; then\n"
                + "  # never replaced: drop a half-made new one and make sure the original runs as it did\n"
                + "  t=$(docker container inspect --format '{{.Id}}' \"$name-moat-new\" 2>/dev/null) && [ \"$t\" != \"$old\" ] && docker rm -f \"$t\" >/dev/null\n"
                + "  [ \"$(docker container inspect --format '{{.Name}}' \"$old\")\" = \"/$name\" ] || docker rename \"$old\" \"$name\" || fail \"cannot give $old its name $name back\"\n"
                + "  if [ $start = 1 ]; then docker start \"$old\" >/dev/null || fail \"cannot start $name again\"\n"
                + "  elif [ \"$(docker container inspect --format '{{.State.Running}}' \"$old\")\" = true ]; then docker stop \"$old\" >/dev/null || fail \"cannot stop $name again\"; fi\n"
                + "  exit 0\n"
                + "fi\n");
        s.append("[ -f \"$dir/create.json\" ] || fail \"the original $name is gone and its configuration $dir/create.json is missing\"\n");
        s.append("cur=$(docker container inspect --format '{{.Id}}' \"$name\" 2>/dev/null) || cur=\n");
        s.append("old=$cur\n");
        s.append("swap \"$dir/create.json\" \"$dir/create.json\" $start restore\n");
        return s.toString();
    }

    /** Saves into {@code $d} what {@link #restore} checks against: the inspect, the exact bindings, whether it runs. */
    static String snapshot(Undo.RecreateContainer u) {
        String id = Sh.q(u.id());
        return "docker container inspect " + id + " > \"$d/inspect.json\"\n"
                + "docker container inspect --format '{{json .HostConfig.PortBindings}}' " + id + " > \"$d/bindings\"\n"
                + "docker container inspect --format '{{.State.Running}}' " + id + " > \"$d/running\"\n";
    }

    /**
     * The shell functions both directions use. {@code swap BODY ORIGINAL START MODE} replaces
     * {@code $old} (empty: there is none) named {@code $name}; {@code check} verifies the new container.
     */
    static final String LIB = "set -u\n"
            + "fail() { printf 'container_ports: %s\\n' \"$*\" >&2; exit 1; }\n"
            + "command -v curl >/dev/null 2>&1 || fail 'curl is needed to recreate a container through the Docker Engine API; install curl'\n"
            + "sock=/var/run/docker.sock\n"
            + "case \"${DOCKER_HOST:-}\" in unix://*) sock=${DOCKER_HOST#unix://};; esac\n"
            + "[ -S \"$sock\" ] || fail \"no Docker socket at $sock\"\n"
            + "ver=$(docker version --format '{{.Client.APIVersion}}' 2>/dev/null) || ver=\n"
            + "api=http://localhost${ver:+/v$ver}\n"
            // prints the new container's ID; the daemon's reply goes to stderr on failure
            + "create() {\n"
            + "  code=$(curl -sS --unix-socket \"$sock\" -o \"$dir/reply\" -w '%{http_code}' -X POST -H 'Content-Type: application/json'"
            + " --data-binary \"@$2\" \"$api/containers/create?name=$1\") || return 1\n"
            + "  [ \"$code\" = 201 ] || { printf 'create %s: HTTP %s: ' \"$1\" \"$code\" >&2; cat \"$dir/reply\" >&2; echo >&2; return 1; }\n"
            + "  sed -n 's/.*\"Id\" *: *\"\\([0-9a-f]*\\)\".*/\\1/p' \"$dir/reply\"\n"
            + "}\n"
            + "check() {\n"
            + "  [ \"$(docker container inspect --format '{{.State.Running}}' \"$1\")\" = true ] || { echo \"$name exited after its start\" >&2; return 1; }\n"
            + "  got=$(docker container inspect --format '{{json .HostConfig.PortBindings}}' \"$1\")\n"
            + "  [ \"$got\" = \"$want\" ] || { echo \"$name publishes $got, not $want\" >&2; return 1; }\n"
            + "  [ \"$2\" = forward ] || return 0\n"
            + "  for b in $(docker container inspect --format '{{range $p, $b := .NetworkSettings.Ports}}{{range $b}} {{$p}}|{{.HostIp}}|{{.HostPort}}{{end}}{{end}}' \"$1\"); do\n"
            + "    p=${b%%|*}; r=${b#*|}; ip=${r%%|*}\n"
            + "    case \" $ports \" in *\" $p \"*) ;; *) continue;; esac\n"
            + "    case \"$ip\" in 127.*|::1|::ffff:127.*|\"$bind\") ;; *) echo \"$name still publishes ${ip:-0.0.0.0}:${r#*|}->$p\" >&2; return 1;; esac\n"
            + "  done\n"
            + "}\n"
            + "swap() {\n"
            + "  body=$1; orig=$2; start=$3; mode=$4; tmp=\"$name-moat-new\"\n"
            + "  docker container inspect \"$tmp\" >/dev/null 2>&1 && fail \"a container named $tmp exists (left by an interrupted run?); remove it and run again\"\n"
            + "  new=$(create \"$tmp\" \"$body\") && [ -n \"$new\" ] || fail \"cannot create $name again; nothing changed\"\n"
            + "  ran=0\n"
            + "  if [ -n \"$old\" ] && [ \"$(docker container inspect --format '{{.State.Running}}' \"$old\" 2>/dev/null)\" = true ]; then\n"
            + "    docker stop \"$old\" >/dev/null || { docker rm -f \"$new\" >/dev/null; fail \"cannot stop $name; nothing changed\"; }\n"
            + "    ran=1\n"
            + "  fi\n"
            + "  if [ \"$start\" = 1 ] && ! { docker start \"$new\" >/dev/null && check \"$new\" \"$mode\"; }; then\n"
            + "    docker rm -f \"$new\" >/dev/null 2>&1\n"
            + "    if [ -n \"$old\" ] && docker container inspect \"$old\" >/dev/null 2>&1; then\n"
            + "      [ $ran = 0 ] || docker start \"$old\" >/dev/null || fail \"the new $name failed and the old one did not start again\"\n"
            + "    elif [ \"$mode\" = forward ]; then\n"
            + "      back=$(create \"$name\" \"$orig\") && docker start \"$back\" >/dev/null || fail \"the new $name failed and the old one (--rm) could not be made again from $orig\"\n"
            + "    fi\n"
            + "    fail \"the new $name did not come up as expected; the old one is back\"\n"
            + "  fi\n"
            + "  if [ -n \"$old\" ] && docker container inspect \"$old\" >/dev/null 2>&1; then docker rm \"$old\" >/dev/null || fail \"cannot remove the old $name\"; fi\n"
            + "  docker rename \"$new\" \"$name\" || fail \"cannot rename $tmp to $name\"\n"
            + "}\n";
}
