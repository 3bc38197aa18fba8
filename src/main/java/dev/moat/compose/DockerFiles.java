package dev.moat.compose;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Containers read from dockerd's own state files instead of the docker CLI (each CLI call costs
 * 30-50 ms of host CPU, and the reads made four): {@code DATA_ROOT/containers/ID/config.v2.json}
 * (the container as the daemon checkpoints it on every change of state) and {@code hostconfig.json}.
 * {@link #inspect} turns them into what {@code docker inspect} prints for the fields moat reads:
 * {@code Id}, {@code Name}, {@code State}, {@code Config}, {@code HostConfig}, {@code Mounts},
 * {@code NetworkSettings}, {@code Image}.
 *
 * <p>The files answer only when they say what the CLI would: the CLI talks to the local daemon
 * (no {@code DOCKER_HOST}, {@code DOCKER_CONTEXT} or current context in the CLI's config), that
 * daemon runs ({@code /var/run/docker.pid} names a live {@code dockerd}) and its data root is known
 * (its {@code --data-root}/{@code -g}, else {@code data-root}/{@code graph} in
 * {@code /etc/docker/daemon.json}, else {@code /var/lib/docker}; a {@code --config-file} elsewhere
 * is not followed) and readable. Otherwise the shell functions fail and their callers run the CLI as
 * before. A dockerd that does not run reads as the CLI's failure did.
 */
public final class DockerFiles {
    private DockerFiles() {}

    /** First line of the files' dump: {@code @@docker-files<TAB>DATA_ROOT}. */
    public static final String MARK = "@@docker-files";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * {@code moat_real PATH}: succeeds when {@code readlink -f PATH} would print PATH itself, so the
     * caller takes it without running readlink; fails otherwise (the caller runs it then). That is
     * exact when PATH is absolute with nothing to normalise (no {@code //}, {@code .}, {@code ..},
     * trailing {@code /} or newline), exists (every directory on the way is there and searchable) and
     * no component is a symbolic link: readlink -f only changes a path by resolving links and
     * normalising those.
     */
    public static final String REAL = "moat_real() {\n"
            + "  case $1 in /*//*|*/./*|*/../*|*/.|*/..|*/|*'\n'*) return 1;; /*) ;; *) return 1;; esac\n"
            + "  [ -e \"$1\" ] || return 1\n"
            + "  set -- \"$1\"\n"
            + "  while [ -n \"$1\" ]; do [ ! -L \"$1\" ] || return 1; set -- \"${1%/*}\"; done\n"
            + "}\n";

    /**
     * The first line the docker CLI prints (stderr) when nothing is at its default endpoint: docker.io
     * 20.10 and docker-ce 28.2 alike ({@code client.ErrorConnectionFailed}).
     */
    public static final String CANNOT_CONNECT = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?";

    /**
     * {@code moat_nodocker}: succeeds when {@code docker ps} could only fail to connect, so a caller
     * answers what it answers on that failure without running the CLI (a Go program: 10-25 ms of
     * host CPU each time). The CLI picks its endpoint from {@code DOCKER_HOST}, else
     * {@code DOCKER_CONTEXT}, else the {@code currentContext} of {@code $DOCKER_CONFIG/config.json}
     * (default {@code $HOME/.docker}), else {@code unix:///var/run/docker.sock} (rootless dockerd is
     * reached only through one of the first three). So: none of the three is set, {@code docker} is
     * an executable file (not a link: podman-docker links it to podman) that is an ELF program (not
     * a wrapper script), and {@code /var/run/docker.sock} is not a socket (connect() then fails
     * whatever is there; a socket, even one systemd holds for a dockerd not started yet, goes to the
     * CLI). It sets {@code ndm=1} when the CLI's message is {@link #CANNOT_CONNECT} for sure:
     * nothing at the path (ENOENT) and no config file (a broken one adds a warning first). The
     * answer, per {@code docker} path, is kept in the batch's memo.
     */
    static final String NO_DAEMON = "moat_nodocker() {\n"
            + "  nd_x=$(command -v docker 2>/dev/null) || return 1\n"
            + "  if [ -n \"${moat_memo:-}\" ] && [ -f \"$moat_memo/nodocker\" ] && IFS= read -r nd_l <\"$moat_memo/nodocker\"; then\n"
            + "    case $nd_l in [01]:[01]:\"$nd_x\") ndm=${nd_l#?:}; ndm=${ndm%%:*}; [ \"$ndm\" = 1 ] || ndm=; return ${nd_l%%:*};; esac\n"
            + "  fi\n"
            + "  ndm=; set -- 0; moat_nodocker_read || set -- $?\n"
            + "  [ -z \"${moat_memo:-}\" ] || [ ! -d \"$moat_memo\" ] || printf '%s:%s:%s\\n' \"$1\" \"${ndm:-0}\" \"$nd_x\" >\"$moat_memo/nodocker\"\n"
            + "  return $1\n"
            + "}\n"
            + "moat_nodocker_read() {\n"
            + "  [ -z \"${DOCKER_HOST:-}${DOCKER_CONTEXT:-}\" ] && [ -n \"${DOCKER_CONFIG:-}${HOME:-}\" ] || return 1\n"
            + "  case $nd_x in /*) ;; *) return 1;; esac\n"
            + "  [ ! -L \"$nd_x\" ] && [ -f \"$nd_x\" ] || return 1\n"
            + "  nd_l=; IFS= read -r nd_l 2>/dev/null <\"$nd_x\"; case $nd_l in \"\177ELF\"*) ;; *) return 1;; esac\n"
            + "  nd_s=$R/var/run/docker.sock\n"
            + "  [ ! -S \"$nd_s\" ] || return 1\n"
            + "  nd_c=$R${DOCKER_CONFIG:-$HOME/.docker}/config.json\n"
            + "  if [ -e \"$nd_c\" ] || [ -L \"$nd_c\" ]; then\n"
            + "    [ -f \"$nd_c\" ] && [ -r \"$nd_c\" ] || return 1\n"
            + "    while IFS= read -r nd_l || [ -n \"$nd_l\" ]; do case $nd_l in *'\"currentContext\"'*) return 1;; esac; done <\"$nd_c\"\n"
            + "  elif [ ! -e \"$nd_s\" ] && [ ! -L \"$nd_s\" ]; then ndm=1\n"
            + "  fi\n"
            + "}\n";

    /**
     * Shell functions, {@code root} prefixing every path read (tests point it at recorded files; on a
     * host it is empty). {@code moat_dockerd} sets {@code $dr}, the data root, or fails;
     * after it (in the same shell: {@code moat_dockerd && out=$(moat_docker_files)}),
     * {@code moat_docker_files} prints {@link #MARK} and each container's two files as
     * {@code @@file PATH} and its text; {@code moat_docker_labels} prints each container's
     * {@code working_dir<TAB>config_files} Compose labels and {@code @@escaped} for a label with a
     * JSON escape in it (which sed cannot decode: the caller asks the CLI then); {@code moat_nodocker}
     * is {@link #NO_DAEMON}. Within a batch ({@code $moat_memo} set) {@code moat_dockerd} keeps its
     * answer (return code and {@code $dr}) there, so the 4-5 facts that ask compute it once, and
     * {@code moat_docker_labels} its output and return code (its callers take it through {@code $(...)}:
     * the newline the memo may add at the end is cut there).
     */
    public static String functions(String root) {
        return "R=" + Sh.q(root) + "\n"
                // The batch asks once (4-5 facts call it): its answer, return code and $dr, is kept in the memo.
                + "moat_dockerd() {\n"
                + "  if [ -n \"${moat_memo:-}\" ] && [ -f \"$moat_memo/dockerd\" ] && IFS= read -r dr <\"$moat_memo/dockerd\"; then\n"
                + "    case $dr in 0:*) dr=${dr#0:}; return 0;; esac; dr=${dr#*:}; return 1\n"
                + "  fi\n"
                + "  set -- 0; moat_dockerd_read || set -- $?\n"
                + "  [ -z \"${moat_memo:-}\" ] || [ ! -d \"$moat_memo\" ] || printf '%s:%s\\n' \"$1\" \"$dr\" >\"$moat_memo/dockerd\"\n"
                + "  return $1\n"
                + "}\n"
                + "moat_dockerd_read() {\n"
                + "  [ -z \"${DOCKER_HOST:-}${DOCKER_CONTEXT:-}\" ] || return 1\n"
                + "  c=${DOCKER_CONFIG:-$HOME/.docker}/config.json\n"
                + "  if [ -f \"$R$c\" ] && grep -q '\"currentContext\"' \"$R$c\" 2>/dev/null; then return 1; fi\n"
                + "  p=; read -r p 2>/dev/null <\"$R/var/run/docker.pid\"\n"
                + "  case $p in ''|*[!0-9]*) return 1;; esac\n"
                + "  n=; read -r n 2>/dev/null <\"$R/proc/$p/comm\"; [ \"$n\" = dockerd ] || return 1\n"
                + "  dr=; set -f; set -- $(tr '\\000' ' ' 2>/dev/null <\"$R/proc/$p/cmdline\"); set +f\n"
                + "  while [ $# -gt 0 ]; do\n"
                + "    case $1 in --data-root=*|--graph=*) dr=${1#*=};; --data-root|--graph|-g) dr=${2:-}; shift;; --config-file*) return 1;; esac\n"
                + "    [ $# = 0 ] || shift\n"
                + "  done\n"
                + "  d=$R/etc/docker/daemon.json\n"
                + "  if [ -z \"$dr\" ] && [ -f \"$d\" ]; then\n"
                + "    dr=$(sed -n 's/.*\"\\(data-root\\|graph\\)\"[[:space:]]*:[[:space:]]*\"\\([^\"\\\\]*\\)\".*/\\2/p' \"$d\" 2>/dev/null | head -n 1)\n"
                + "    [ -n \"$dr\" ] || ! grep -qE '\"(data-root|graph)\"' \"$d\" 2>/dev/null || return 1\n"
                + "  fi\n"
                + "  dr=${dr:-/var/lib/docker}\n"
                + "  case $dr in /*) ;; *) return 1;; esac\n"
                + "  [ -d \"$R$dr/containers\" ] && [ -r \"$R$dr/containers\" ] && [ -x \"$R$dr/containers\" ]\n"
                + "}\n"
                + NO_DAEMON
                + REAL
                + "moat_docker_files() {\n"
                + "  printf '" + MARK + "\\t%s\\n' \"$dr\"\n"
                + "  set --\n"
                + "  for c in \"$R$dr\"/containers/*/; do\n"
                + "    [ -f \"${c}config.v2.json\" ] && [ -f \"${c}hostconfig.json\" ] && set -- \"$@\" \"${c}config.v2.json\" \"${c}hostconfig.json\"\n"
                + "  done\n"
                + "  [ $# = 0 ] || awk 'FNR == 1 { print \"@@file \" FILENAME } { print }' \"$@\"\n"
                + "}\n"
                // compose_ports' containers and the compose search both read the labels: a batch runs sed once.
                + "moat_docker_labels() {\n"
                + "  [ -n \"${moat_memo:-}\" ] && [ -d \"$moat_memo\" ] || { moat_docker_labels_read; return; }\n"
                + "  if [ ! -f \"$moat_memo/docker-labels.rc\" ]; then\n"
                + "    set -- 0; moat_docker_labels_read >\"$moat_memo/docker-labels\" || set -- $?\n"
                + "    echo \"$1\" >\"$moat_memo/docker-labels.rc\"\n"
                + "  fi\n"
                + "  while IFS= read -r nd_l || [ -n \"$nd_l\" ]; do printf '%s\\n' \"$nd_l\"; done <\"$moat_memo/docker-labels\"\n"
                + "  read -r nd_l <\"$moat_memo/docker-labels.rc\"; return \"$nd_l\"\n"
                + "}\n"
                + "moat_docker_labels_read() {\n"
                + "  set -- \"$R$dr\"/containers/*/config.v2.json\n"
                + "  [ -f \"$1\" ] || return 0\n"
                + "  sed -n -e '/\"com\\.docker\\.compose\\.project\\.\\(config_files\\|working_dir\\)\":\"[^\"]*\\\\/{s/.*/@@escaped/p;d;}'"
                + " -e 's/.*\"com\\.docker\\.compose\\.project\\.config_files\":\"\\([^\"]*\\)\".*\"com\\.docker\\.compose\\.project\\.working_dir\":\"\\([^\"]*\\)\".*/\\2\\t\\1/p' \"$@\"\n"
                + "}\n";
    }

    /** Whether {@code text} is a dump of {@link #functions}' {@code moat_docker_files}. */
    public static boolean is(String text) {
        return text.startsWith(MARK);
    }

    /** The dump as {@code docker inspect}'s JSON array, containers in the order of their files. */
    public static ArrayNode inspect(String text) throws TaskException {
        String dataRoot = "";
        Map<String, ObjectNode> config = new LinkedHashMap<>();
        Map<String, JsonNode> host = new LinkedHashMap<>();
        String path = null;
        StringBuilder body = new StringBuilder();
        for (String line : (text + "\n@@file \n").split("\n", -1)) {
            if (line.startsWith(MARK + "\t")) {
                dataRoot = line.substring(MARK.length() + 1);
            } else if (line.startsWith("@@file ")) {
                if (path != null) put(path, body.toString(), config, host);
                path = line.substring(7);
                body.setLength(0);
            } else if (path != null) {
                body.append(line).append('\n');
            }
        }
        ArrayNode out = JSON.createArrayNode();
        for (Map.Entry<String, ObjectNode> e : config.entrySet()) out.add(container(e.getValue(), host.get(e.getKey()), dataRoot));
        return out;
    }

    private static void put(String path, String text, Map<String, ObjectNode> config, Map<String, JsonNode> host) throws TaskException {
        if (path.isEmpty()) return;
        String dir = path.substring(0, Math.max(0, path.lastIndexOf('/')));
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (Exception e) {
            throw new TaskException("cannot read dockerd's " + path + ": " + e.getMessage());
        }
        if (path.endsWith("/config.v2.json") && n instanceof ObjectNode o) config.put(dir, o);
        else if (path.endsWith("/hostconfig.json") && n != null) host.put(dir, n);
    }

    /** One container as inspect shows it (moby's daemon/inspect.go from container.Container). */
    static ObjectNode container(ObjectNode c, JsonNode hostConfig, String dataRoot) {
        ObjectNode o = JSON.createObjectNode();
        o.set("Id", c.path("ID"));
        for (String f : new String[] {"Created", "Path", "Args"}) if (c.has(f)) o.set(f, c.get(f));
        ObjectNode state = c.path("State") instanceof ObjectNode s ? s.deepCopy() : JSON.createObjectNode();
        state.put("Status", status(state));
        o.set("State", state);
        o.set("Image", c.path("Image"));
        for (String f : new String[] {"ResolvConfPath", "HostnamePath", "HostsPath", "LogPath", "Name", "RestartCount", "Driver"}) {
            if (c.has(f)) o.set(f, c.get(f));
        }
        if (c.has("OS")) o.set("Platform", c.get("OS"));
        for (String f : new String[] {"MountLabel", "ProcessLabel", "AppArmorProfile"}) if (c.has(f)) o.set(f, c.get(f));
        ObjectNode host = hostConfig instanceof ObjectNode h ? h.deepCopy() : JSON.createObjectNode();
        // inspect rebuilds Links from the daemon's link graph: none is null, not [].
        if (host.path("Links").isArray() && host.path("Links").isEmpty()) host.putNull("Links");
        o.set("HostConfig", host);
        o.set("Mounts", mounts(c.path("MountPoints"), dataRoot));
        o.set("Config", c.path("Config"));
        ObjectNode net = c.path("NetworkSettings") instanceof ObjectNode n ? n.deepCopy() : JSON.createObjectNode();
        // The daemon's own bookkeeping, which inspect leaves out.
        for (JsonNode e : net.path("Networks")) if (e instanceof ObjectNode eo) eo.remove("IPAMOperational");
        o.set("NetworkSettings", net);
        return o;
    }

    /** The State.Status inspect derives from the flags (moby's container/state.go StateString). */
    static String status(JsonNode s) {
        if (s.path("Running").asBoolean()) {
            if (s.path("Paused").asBoolean()) return "paused";
            if (s.path("Restarting").asBoolean()) return "restarting";
            return "running";
        }
        if (s.path("RemovalInProgress").asBoolean()) return "removing";
        if (s.path("Dead").asBoolean()) return "dead";
        String started = s.path("StartedAt").asText("");
        return started.isEmpty() || started.startsWith("0001-01-01") ? "created" : "exited";
    }

    /**
     * inspect's Mounts from the MountPoints map (whose {@code Mode} is stored as {@code Relabel}): a
     * local volume without a stored source is its directory under the data root.
     */
    static ArrayNode mounts(JsonNode points, String dataRoot) {
        ArrayNode out = JSON.createArrayNode();
        for (Iterator<JsonNode> it = points.elements(); it.hasNext(); ) {
            JsonNode m = it.next();
            ObjectNode o = JSON.createObjectNode();
            String type = m.path("Type").asText("");
            o.put("Type", type);
            if (!m.path("Name").asText("").isEmpty()) o.set("Name", m.get("Name"));
            String source = m.path("Source").asText("");
            if (source.isEmpty() && type.equals("volume") && m.path("Driver").asText("").equals("local") && !m.path("Name").asText("").isEmpty()) {
                source = dataRoot + "/volumes/" + m.path("Name").asText() + "/_data";
            }
            o.put("Source", source);
            o.set("Destination", m.path("Destination"));
            if (!m.path("Driver").asText("").isEmpty()) o.set("Driver", m.get("Driver"));
            o.put("Mode", m.path("Relabel").asText(""));
            o.put("RW", m.path("RW").asBoolean());
            o.put("Propagation", m.path("Propagation").asText(""));
            out.add(o);
        }
        return out;
    }
}
