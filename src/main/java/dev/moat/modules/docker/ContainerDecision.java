package dev.moat.modules.docker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.moat.compose.PortSpec;
import dev.moat.compose.PortSyntaxException;

/**
 * What {@code docker_container} must do to a container, decided from its inspect and the image's,
 * as the collection's module decides it: each option given is compared with the container's
 * ({@code strict} for command and entrypoint, {@code allow_more_present} for env, labels, volumes,
 * published ports, networks and device requests: the container may have more than asked); a
 * difference in the image or any of these recreates the container, a restart policy is updated in
 * place, a missing network is connected, the state is reached by start, stop or remove.
 *
 * @param create      no container by that name: create it
 * @param recreate    why the existing container must be made again (empty: it need not)
 * @param start       start it (after create/recreate, or an existing stopped one)
 * @param stop        stop the running one
 * @param remove      remove it (state absent)
 * @param connect     networks to connect it to
 * @param restartPolicy a restart policy to set in place (null: none)
 * @param pull        the image is not on the host: pull it first
 */
public record ContainerDecision(boolean create, List<String> recreate, boolean start, boolean stop, boolean remove, List<String> connect,
                                String restartPolicy, boolean pull) {
    public boolean changes() {
        return create || !recreate.isEmpty() || start || stop || remove || !connect.isEmpty() || restartPolicy != null || pull;
    }

    /** Decides from {@code container} (missing: none by that name) and {@code image} (missing: not on the host). */
    public static ContainerDecision decide(ContainerWant w, JsonNode container, JsonNode image) throws PortSyntaxException {
        boolean exists = container != null && !container.isMissingNode();
        boolean haveImage = image != null && !image.isMissingNode();
        boolean pull = w.image() != null && (!haveImage && !"never".equals(w.pull()) || "always".equals(w.pull()));
        if (w.state().equals("absent")) return new ContainerDecision(false, List.of(), false, false, exists, List.of(), null, false);
        if (!exists) {
            return new ContainerDecision(true, List.of(), w.wantsRunning(), false, false, List.of(), null, pull);
        }
        boolean running = container.path("State").path("Running").asBoolean(false);
        List<String> why = differences(w, container, image, haveImage);
        if (w.recreate()) why.add(0, "recreate: true");
        boolean again = !why.isEmpty();
        boolean start = w.wantsRunning() && (again || !running);
        boolean stop = w.state().equals("stopped") && running && !again;
        List<String> connect = new ArrayList<>();
        if (!again && w.networks() != null) {
            for (String n : w.networks()) if (!container.path("NetworkSettings").path("Networks").has(n)) connect.add(n);
        }
        String policy = null;
        if (!again && w.restartPolicy() != null && !w.restartPolicy().equals(policyOf(container))) policy = w.restartPolicy();
        return new ContainerDecision(false, why, start, stop, false, connect, policy, pull && again);
    }

    /** The options given whose value differs from the container's, each as "option: container's → asked". */
    static List<String> differences(ContainerWant w, JsonNode c, JsonNode image, boolean haveImage) throws PortSyntaxException {
        List<String> why = new ArrayList<>();
        JsonNode cfg = c.path("Config");
        JsonNode host = c.path("HostConfig");
        if (w.image() != null) {
            String now = c.path("Image").asText();
            if (!haveImage) why.add("image: " + w.image() + " is not on the host yet");
            else if (!image.path("Id").asText().equals(now)) why.add("image: " + shortId(now) + " → " + w.image() + " (" + shortId(image.path("Id").asText()) + ")");
        }
        if (w.command() != null && !w.command().isEmpty() && !w.command().equals(strings(cfg.path("Cmd")))) {
            why.add("command: " + strings(cfg.path("Cmd")) + " → " + w.command());
        }
        if (w.entrypoint() != null && !w.entrypoint().isEmpty() && !w.entrypoint().equals(strings(cfg.path("Entrypoint")))) {
            why.add("entrypoint: " + strings(cfg.path("Entrypoint")) + " → " + w.entrypoint());
        }
        if (w.env() != null) {
            List<String> have = strings(cfg.path("Env"));
            for (Map.Entry<String, String> e : w.env().entrySet()) {
                if (!have.contains(e.getKey() + "=" + e.getValue())) why.add("env: " + e.getKey() + " differs");
            }
        }
        if (w.labels() != null) {
            for (Map.Entry<String, String> e : w.labels().entrySet()) {
                JsonNode v = cfg.path("Labels").path(e.getKey());
                if (v.isMissingNode() || !v.asText().equals(e.getValue())) why.add("labels: " + e.getKey() + " differs");
            }
        }
        if (w.volumes() != null) {
            Set<String> have = new LinkedHashSet<>();
            for (String b : strings(host.path("Binds"))) have.add(volume(b));
            for (Iterator<String> it = cfg.path("Volumes").fieldNames(); it.hasNext(); ) have.add(it.next());
            for (String v : w.volumes()) if (!have.contains(volume(v))) why.add("volumes: " + v + " is not mounted");
        }
        if (w.ports() != null) {
            Map<String, Set<String>> want = bindings(w.ports());
            Map<String, Set<String>> have = bindings(host.path("PortBindings"));
            for (Map.Entry<String, Set<String>> e : want.entrySet()) {
                if (!Objects.equals(e.getValue(), have.get(e.getKey()))) {
                    why.add("published_ports: " + e.getKey() + " " + (have.containsKey(e.getKey()) ? have.get(e.getKey()) : "[]") + " → " + e.getValue());
                }
            }
        }
        if (w.networks() != null && !w.networks().isEmpty()) {
            // As the collection (networks_cli_compatible): the first network is the network mode, compared strictly.
            String mode = host.path("NetworkMode").asText("");
            if (!mode.equals(w.networks().get(0))) why.add("network_mode: " + mode + " → " + w.networks().get(0));
        }
        if (w.devices() != null) {
            for (ContainerWant.DeviceRequest d : w.devices()) {
                boolean found = false;
                for (JsonNode r : host.path("DeviceRequests")) found |= matches(d, r);
                if (!found) why.add("device_requests: " + describe(d) + " is not requested");
            }
        }
        return why;
    }

    /** The container's restart policy name, {@code no} when it has none. */
    public static String policyOf(JsonNode c) {
        String p = c.path("HostConfig").path("RestartPolicy").path("Name").asText("");
        return p.isEmpty() ? "no" : p;
    }

    /** A volume entry as compared: {@code SRC:DST:MODE} with mode {@code rw} by default, or an anonymous volume's path. */
    static String volume(String v) {
        String[] p = v.split(":");
        if (p.length == 1) return v;
        String mode = p.length > 2 ? p[2] : "rw";
        return p[0] + ":" + p[1] + ":" + mode;
    }

    /** Desired bindings per container port ({@code 8000/tcp}), each {@code IP:HOSTPORT} with 0.0.0.0 for every address. */
    static Map<String, Set<String>> bindings(List<String> ports) throws PortSyntaxException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String s : ports) {
            PortSpec p = PortSpec.parseShort(s);
            String proto = p.protocol() == null ? "tcp" : p.protocol();
            for (int i = 0; i < p.container().size(); i++) {
                String host = p.host() == null ? "" : String.valueOf(p.host().start() + (p.host().size() == p.container().size() ? i : 0));
                if (p.host() != null && p.host().size() != p.container().size()) host = p.host().toString();
                out.computeIfAbsent((p.container().start() + i) + "/" + proto, k -> new LinkedHashSet<>()).add(ip(p.hostIp()) + ":" + host);
            }
        }
        return out;
    }

    /** A container's {@code HostConfig.PortBindings} in the form of {@link #bindings(List)}. */
    static Map<String, Set<String>> bindings(JsonNode portBindings) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = portBindings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Set<String> bs = new LinkedHashSet<>();
            for (JsonNode b : e.getValue()) bs.add(ip(b.path("HostIp").asText("")) + ":" + b.path("HostPort").asText(""));
            out.put(e.getKey(), bs);
        }
        return out;
    }

    private static String ip(String ip) {
        return ip == null || ip.isEmpty() ? "0.0.0.0" : ip;
    }

    private static boolean matches(ContainerWant.DeviceRequest d, JsonNode r) {
        if (d.driver() != null && !d.driver().equals(r.path("Driver").asText(""))) return false;
        if (d.count() != null && d.count() != r.path("Count").asInt(0)) return false;
        if (d.deviceIds() != null && !d.deviceIds().equals(strings(r.path("DeviceIDs")))) return false;
        if (d.capabilities() != null) {
            List<List<String>> have = new ArrayList<>();
            for (JsonNode c : r.path("Capabilities")) have.add(strings(c));
            if (!d.capabilities().equals(have)) return false;
        }
        if (d.options() != null) {
            for (Map.Entry<String, String> e : d.options().entrySet()) {
                if (!e.getValue().equals(r.path("Options").path(e.getKey()).asText(null))) return false;
            }
        }
        return true;
    }

    static String describe(ContainerWant.DeviceRequest d) {
        List<String> parts = new ArrayList<>();
        if (d.driver() != null) parts.add("driver=" + d.driver());
        if (d.count() != null) parts.add("count=" + d.count());
        if (d.deviceIds() != null) parts.add("device_ids=" + d.deviceIds());
        if (d.capabilities() != null) parts.add("capabilities=" + d.capabilities());
        return "{" + String.join(", ", parts) + "}";
    }

    static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        if (a != null && a.isArray()) for (JsonNode x : a) out.add(x.asText());
        return out;
    }

    static String shortId(String id) {
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
