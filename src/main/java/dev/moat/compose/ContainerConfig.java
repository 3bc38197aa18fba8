package dev.moat.compose;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A container's whole configuration as {@code docker container inspect} reports it: the daemon's
 * {@code Config}, {@code HostConfig}, {@code NetworkSettings.Networks}, {@code Mounts} and
 * {@code State}, kept as the JSON tree so that nothing inspect reports is lost on the way (a field
 * this class has no accessor for still reaches {@link CreateBody}). The accessors name what
 * {@code container_ports} decides on.
 */
public final class ContainerConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectNode root;

    private ContainerConfig(ObjectNode root) {
        this.root = root;
    }

    /** Reads one inspect object; null or unreadable text gives an empty configuration. */
    public static ContainerConfig parse(String json) {
        if (json == null || json.isBlank()) return new ContainerConfig(JsonNodeFactory.instance.objectNode());
        try {
            JsonNode n = JSON.readTree(json);
            return new ContainerConfig(n instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode());
        } catch (Exception e) {
            return new ContainerConfig(JsonNodeFactory.instance.objectNode());
        }
    }

    /** Whether inspect's object was read at all. */
    public boolean known() {
        return root.has("Config") && root.has("HostConfig");
    }

    /** A deep copy of the tree, for {@link CreateBody} to edit. */
    ObjectNode tree() {
        return root.deepCopy();
    }

    public String id() {
        return root.path("Id").asText("");
    }

    public String name() {
        String n = root.path("Name").asText("");
        return n.startsWith("/") ? n.substring(1) : n;
    }

    /** The image the container runs, by ID ({@code sha256:...}). */
    public String imageId() {
        return root.path("Image").asText("");
    }

    /** The image as it was asked for ({@code ollama/ollama}): {@code Config.Image}. */
    public String imageRef() {
        return root.path("Config").path("Image").asText("");
    }

    public boolean running() {
        return root.path("State").path("Running").asBoolean(false);
    }

    public boolean paused() {
        return root.path("State").path("Paused").asBoolean(false);
    }

    public boolean restarting() {
        return root.path("State").path("Restarting").asBoolean(false);
    }

    /** {@code HostConfig.NetworkMode}: default, bridge, host, none, container:ID or a network's name. */
    public String networkMode() {
        return host().path("NetworkMode").asText("default");
    }

    /** Whether Docker publishes its ports (its own network namespace, not the host's, none or another container's). */
    public boolean publishes() {
        String m = networkMode();
        return !(m.equals("host") || m.equals("none") || m.startsWith("container:"));
    }

    /** {@code no}, {@code always}, {@code unless-stopped} or {@code on-failure}. */
    public String restartPolicy() {
        String p = host().path("RestartPolicy").path("Name").asText("");
        return p.isEmpty() ? "no" : p;
    }

    /** Docker brings it back by itself after a reboot or a daemon restart. */
    public boolean restartsByItself() {
        String p = restartPolicy();
        return p.equals("always") || p.equals("unless-stopped");
    }

    public boolean autoRemove() {
        return host().path("AutoRemove").asBoolean(false);
    }

    public boolean privileged() {
        return host().path("Privileged").asBoolean(false);
    }

    public List<String> volumesFrom() {
        return strings(host().path("VolumesFrom"));
    }

    /** {@code --cidfile}, or empty. */
    public String cidFile() {
        return host().path("ContainerIDFile").asText("");
    }

    /** Legacy links as inspect writes them: {@code /db:/web/db}. */
    public List<String> links() {
        return strings(host().path("Links"));
    }

    /** The networks it is attached to, by name. */
    public List<String> networks() {
        List<String> out = new ArrayList<>();
        root.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** {@code HostConfig.PortBindings}: container port to the host bindings asked for, in inspect's order. */
    public Map<String, List<Binding>> portBindings() {
        return bindings(host().path("PortBindings"));
    }

    /**
     * Whether this container needs {@code other} to exist: it shares its network, IPC or PID
     * namespace ({@code container:NAME|ID}), takes its volumes ({@code --volumes-from}) or links to
     * it. Removing {@code other} would break this one.
     */
    public boolean dependsOn(ContainerConfig other) {
        List<String> refs = List.of(other.name(), other.id(), other.id().length() >= 12 ? other.id().substring(0, 12) : other.id());
        for (String mode : List.of(networkMode(), host().path("IpcMode").asText(""), host().path("PidMode").asText(""))) {
            if (mode.startsWith("container:") && refs.contains(mode.substring("container:".length()))) return true;
        }
        for (String v : volumesFrom()) if (refs.contains(v.split(":", 2)[0])) return true;
        for (String l : links()) if (refs.contains(l.split(":", 2)[0].replaceFirst("^/", ""))) return true;
        return false;
    }

    private JsonNode host() {
        return root.path("HostConfig");
    }

    static Map<String, List<Binding>> bindings(JsonNode ports) {
        Map<String, List<Binding>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ports.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Binding> bs = new ArrayList<>();
            for (JsonNode b : e.getValue()) bs.add(new Binding(e.getKey(), b.path("HostIp").asText(""), b.path("HostPort").asText("")));
            out.put(e.getKey(), bs);
        }
        return out;
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : a) out.add(x.asText());
        return out;
    }
}
