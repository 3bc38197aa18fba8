package dev.moat.compose;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;

/**
 * Every container on the host (running or not) with its labels and published ports, from
 * {@code docker inspect}. No docker CLI, or no daemon answering, reads as no containers: there is
 * nothing running to recreate then.
 */
public record ContainersFact(String root) implements Fact<List<Container>> {
    /** On the host: paths as they are ({@code root} prefixes them in tests). */
    public ContainersFact() {
        this("");
    }

    @Override
    public String key() {
        return "compose:containers";
    }

    /** dockerd's files ({@link DockerFiles}) when they can answer, else {@code docker ps} and {@code docker inspect}. */
    @Override
    public String script() {
        return "command -v docker >/dev/null 2>&1 || { echo '[]'; exit 0; }\n"
                + DockerFiles.functions(root)
                + "if moat_dockerd && out=$(moat_docker_files); then\n"
                + "  printf '%s\\n' \"$out\"\n"
                + "  printf '\\n%s\\n' " + REALPATHS + "\n"
                + "  l=$(moat_docker_labels)\n"
                // Each working directory once (the parser keeps a map: order does not matter), its real path by
                // moat_real where readlink -f would print it unchanged, else by readlink.
                + "  case \"$l\" in *@@escaped*) ;; *) printf '%s\\n' \"$l\" | { seen=; while IFS= read -r d; do d=${d%%\"\t\"*}\n"
                + "    case \"$d\" in /*) ;; *) continue;; esac\n"
                + "    case \"$seen\" in *\"\n$d\n\"*) continue;; esac; seen=\"$seen\n$d\n\"\n"
                + "    if moat_real \"$R$d\"; then r=$R$d; else r=$(readlink -f -- \"$R$d\" 2>/dev/null); fi\n"
                + "    printf '%s\\t%s\\n' \"$d\" \"${r#\"$R\"}\"\n"
                + "  done; }; exit 0;; esac\n"
                + "  ! moat_nodocker || exit 0\n"
                + "  ids=$(docker ps -aq --no-trunc 2>/dev/null) || exit 0\n"
                + "else\n"
                // No daemon the CLI could reach (DockerFiles.NO_DAEMON): what its failing ps answered.
                + "  ! moat_nodocker || { echo '[]'; exit 0; }\n"
                + "  ids=$(docker ps -aq --no-trunc 2>/dev/null) || { echo '[]'; exit 0; }\n"
                + "  [ -n \"$ids\" ] || { echo '[]'; exit 0; }\n"
                + "  docker inspect $ids 2>/dev/null\n"
                + "  printf '\\n%s\\n' " + REALPATHS + "\n"
                + "fi\n"
                + "docker inspect --format '{{with .Config.Labels}}{{index . \"" + Container.WORKING_DIR + "\"}}{{end}}' $ids 2>/dev/null | sort -u |"
                + " while IFS= read -r d; do case \"$d\" in /*) printf '%s\\t%s\\n' \"$d\" \"$(readlink -f -- \"$d\" 2>/dev/null)\";; esac; done\n"
                + "exit 0\n";
    }

    @Override
    public List<Container> parse(FactOutput out) throws TaskException {
        return parse(out.text());
    }

    static final String REALPATHS = "@@moat-realpaths";

    /**
     * Reads {@code docker inspect}'s JSON array, optionally followed by the {@link #REALPATHS}
     * section this fact's script adds; {@code moat scan --inside} reads its containers here too.
     */
    public static List<Container> parse(String output) throws TaskException {
        String json = output;
        Map<String, String> real = new java.util.HashMap<>();
        int cut = output.indexOf("\n" + REALPATHS + "\n");
        if (cut >= 0) {
            json = output.substring(0, cut);
            for (String line : output.substring(cut + REALPATHS.length() + 2).split("\n")) {
                String[] f = line.split("\t", 2);
                if (f.length == 2 && f[1].startsWith("/")) real.put(f[0], f[1]);
            }
        }
        String t = json.strip();
        if (t.isEmpty()) return List.of();
        JsonNode root;
        try {
            root = DockerFiles.is(t) ? DockerFiles.inspect(t) : new ObjectMapper().readTree(t);
        } catch (Exception e) {
            throw new TaskException("compose_ports: cannot read docker inspect output: " + e.getMessage());
        }
        List<Container> out = new ArrayList<>();
        if (root == null || !root.isArray()) return out;
        for (JsonNode c : root) {
            Map<String, String> labels = new LinkedHashMap<>();
            JsonNode l = c.path("Config").path("Labels");
            for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                labels.put(e.getKey(), e.getValue().asText());
            }
            Set<Binding> bindings = new LinkedHashSet<>();
            Set<Binding> live = new LinkedHashSet<>();
            boolean running = c.path("State").path("Running").asBoolean(false);
            add(bindings, c.path("HostConfig").path("PortBindings"));
            if (running) add(live, c.path("NetworkSettings").path("Ports"));
            bindings.addAll(live);
            out.add(new Container(c.path("Id").asText(), c.path("Name").asText(), running, labels, new ArrayList<>(bindings),
                    new ArrayList<>(live), real.get(labels.get(Container.WORKING_DIR)), c.toString()));
        }
        return out;
    }

    private static void add(Set<Binding> into, JsonNode ports) {
        for (Iterator<Map.Entry<String, JsonNode>> it = ports.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) continue;
            for (JsonNode b : e.getValue()) {
                into.add(new Binding(e.getKey(), b.path("HostIp").asText(""), b.path("HostPort").asText("")));
            }
        }
    }
}
