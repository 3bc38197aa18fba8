package dev.moat.compose;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of the Docker Engine API's {@code POST /containers/create} that makes a container again
 * from what {@code docker container inspect} reported of it: inspect's own {@code Config} (at the
 * top level, as the API wants it) and {@code HostConfig}, passed through as JSON trees so every
 * field the daemon reported, known to moat or not, goes back unchanged; and a
 * {@code NetworkingConfig} built from {@code NetworkSettings.Networks}. What is changed, and why:
 * <ul>
 *   <li>{@code HostConfig.PortBindings}: the bindings given ({@link #rebind} for the fix, inspect's
 *       own for the original);</li>
 *   <li>anonymous volumes ({@code -v /data}, an image's {@code VOLUME}, {@code --mount} without a
 *       source) are attached by their names from {@code Mounts}, so the new container gets the same
 *       volumes with their data, never fresh empty ones;</li>
 *   <li>legacy links {@code /db:/web/db} go back as {@code db:db}, the form create takes;</li>
 *   <li>per network, only the settings a create takes: IPAM config (a fixed address), links,
 *       aliases (without the old container's short ID, which Docker adds by itself), driver
 *       options, gateway priority and a MAC address, unless it is the one the bridge driver
 *       derives from the address ({@code 02:42:} and the IPv4 octets): carried over, it would
 *       collide with the next container given that address;</li>
 *   <li>{@code Config.Image}: the image asked for, or its ID when that name now names another image.</li>
 * </ul>
 */
public final class CreateBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CreateBody() {}

    /** The body that creates {@code c} again with {@code image} and the port bindings given. */
    public static String of(ContainerConfig c, String image, Map<String, List<Binding>> portBindings) {
        ObjectNode tree = c.tree();
        ObjectNode body = tree.path("Config") instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        ObjectNode host = tree.path("HostConfig") instanceof ObjectNode h ? h : JsonNodeFactory.instance.objectNode();
        JsonNode networks = tree.path("NetworkSettings").path("Networks");
        Set<String> generated = new HashSet<>();
        for (JsonNode n : networks) generated.add(generatedMac(n.path("IPAddress").asText("")));
        body.put("Image", image);
        String mac = body.path("MacAddress").asText("");
        if (body.has("MacAddress") && (mac.isEmpty() || generated.contains(mac.toLowerCase()))) body.remove("MacAddress");
        host.set("PortBindings", portBindings(portBindings));
        links(host);
        anonymousVolumes(host, tree.path("Mounts"));
        body.set("HostConfig", host);
        ObjectNode endpoints = JsonNodeFactory.instance.objectNode();
        String shortId = c.id().length() >= 12 ? c.id().substring(0, 12) : c.id();
        for (Iterator<Map.Entry<String, JsonNode>> it = networks.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            endpoints.set(e.getKey(), endpoint(e.getValue(), shortId));
        }
        ObjectNode networking = JsonNodeFactory.instance.objectNode();
        networking.set("EndpointsConfig", endpoints);
        body.set("NetworkingConfig", networking);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body that creates {@code c} again exactly as it is. */
    public static String original(ContainerConfig c, String image) {
        return of(c, image, c.portBindings());
    }

    /**
     * The bindings with every in-scope one reachable from outside moved to {@code bind}. An IPv6
     * binding ({@code [::]:8188}) becomes {@code ::1} when {@code bind} is IPv4 loopback: the
     * service stays on the host's own IPv6 loopback, where {@code localhost} may resolve first, as
     * it was on IPv6 before; for any other IPv4 {@code bind} it is dropped, having no IPv6
     * counterpart. An empty host address (every interface, both families) becomes {@code bind}
     * alone, as {@code compose_ports} writes it. Duplicates that result are merged.
     */
    public static Map<String, List<Binding>> rebind(Map<String, List<Binding>> bindings, String bind, PortFilter filter) {
        Map<String, List<Binding>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Binding>> e : bindings.entrySet()) {
            Set<Binding> now = new LinkedHashSet<>();
            for (Binding b : e.getValue()) {
                if (!b.exposed(bind) || !b.inScope(filter)) {
                    now.add(b);
                } else if (Ip.isV6(b.hostIp()) && !Ip.isV6(bind)) {
                    if (Ip.isLoopback(bind)) now.add(new Binding(b.containerPort(), "::1", b.hostPort()));
                } else {
                    now.add(new Binding(b.containerPort(), bind, b.hostPort()));
                }
            }
            if (!now.isEmpty() || e.getValue().isEmpty()) out.put(e.getKey(), new ArrayList<>(now));
        }
        return out;
    }

    private static ObjectNode portBindings(Map<String, List<Binding>> bindings) {
        ObjectNode pb = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, List<Binding>> e : bindings.entrySet()) {
            ArrayNode a = pb.putArray(e.getKey());
            for (Binding b : e.getValue()) a.addObject().put("HostIp", b.hostIp()).put("HostPort", b.hostPort());
        }
        return pb;
    }

    private static void links(ObjectNode host) {
        if (!(host.path("Links") instanceof ArrayNode links)) return;
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode l : links) {
            String[] p = l.asText().split(":", 2);
            String name = p[0].replaceFirst("^/", "");
            String alias = p.length == 2 ? p[1].substring(p[1].lastIndexOf('/') + 1) : name;
            out.add(name + ":" + alias);
        }
        host.set("Links", out);
    }

    /** Attaches by name every volume in {@code Mounts} that {@code Binds} and {@code Mounts} of HostConfig do not name. */
    private static void anonymousVolumes(ObjectNode host, JsonNode mounts) {
        Map<String, JsonNode> byTarget = new LinkedHashMap<>();
        for (JsonNode m : mounts) if ("volume".equals(m.path("Type").asText())) byTarget.put(m.path("Destination").asText(), m);
        Set<String> named = new HashSet<>();
        for (JsonNode b : host.path("Binds")) {
            String[] p = b.asText().split(":");
            if (p.length >= 2) named.add(p[1]);
        }
        for (JsonNode m : host.path("Mounts")) {
            String target = m.path("Target").asText();
            JsonNode live = byTarget.get(target);
            if ("volume".equals(m.path("Type").asText()) && m.path("Source").asText("").isEmpty() && live != null && m instanceof ObjectNode o) {
                o.put("Source", live.path("Name").asText());
            }
            named.add(target);
        }
        ArrayNode binds = host.path("Binds") instanceof ArrayNode a ? a : JsonNodeFactory.instance.arrayNode();
        for (Map.Entry<String, JsonNode> e : byTarget.entrySet()) {
            if (named.contains(e.getKey())) continue;
            String name = e.getValue().path("Name").asText("");
            if (name.isEmpty()) continue;
            binds.add(name + ":" + e.getKey() + (e.getValue().path("RW").asBoolean(true) ? "" : ":ro"));
        }
        if (!binds.isEmpty()) host.set("Binds", binds);
    }

    private static ObjectNode endpoint(JsonNode n, String shortId) {
        ObjectNode ep = JsonNodeFactory.instance.objectNode();
        for (String k : List.of("IPAMConfig", "Links", "DriverOpts")) if (n.has(k)) ep.set(k, n.get(k));
        if (n.path("GwPriority").asInt(0) != 0) ep.set("GwPriority", n.get("GwPriority"));
        ArrayNode aliases = JsonNodeFactory.instance.arrayNode();
        for (JsonNode a : n.path("Aliases")) if (!a.asText().equals(shortId)) aliases.add(a);
        if (!aliases.isEmpty()) ep.set("Aliases", aliases);
        String mac = n.path("MacAddress").asText("");
        if (!mac.isEmpty() && !mac.equalsIgnoreCase(generatedMac(n.path("IPAddress").asText("")))) ep.put("MacAddress", mac);
        return ep;
    }

    /** The MAC address Docker's bridge driver derives from an IPv4 address: {@code 02:42:} and its four octets. */
    static String generatedMac(String ipv4) {
        String[] p = ipv4.split("\\.");
        if (p.length != 4) return "";
        StringBuilder s = new StringBuilder("02:42");
        for (String o : p) {
            try {
                s.append(String.format(":%02x", Integer.parseInt(o)));
            } catch (NumberFormatException e) {
                return "";
            }
        }
        return s.toString();
    }
}
