package dev.moat.modules.docker;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.compose.PortSyntaxException;
import dev.moat.transport.Sh;

/**
 * The Docker Engine API body ({@code POST /containers/create}) for a {@code docker_container}
 * task, made from the task's options only, as the collection creates (and recreates) containers:
 * what the task does not give is Docker's default. The first network is the container's network
 * mode; the others are connected after it is created.
 */
public final class ContainerBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerBody() {}

    public static String of(ContainerWant w) throws PortSyntaxException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode body = f.objectNode();
        ObjectNode host = f.objectNode();
        body.put("Image", w.image());
        if (w.command() != null && !w.command().isEmpty()) body.set("Cmd", array(w.command()));
        if (w.entrypoint() != null && !w.entrypoint().isEmpty()) body.set("Entrypoint", array(w.entrypoint()));
        if (w.env() != null) {
            ArrayNode env = f.arrayNode();
            for (Map.Entry<String, String> e : w.env().entrySet()) env.add(e.getKey() + "=" + e.getValue());
            body.set("Env", env);
        }
        if (w.labels() != null) {
            ObjectNode labels = f.objectNode();
            for (Map.Entry<String, String> e : w.labels().entrySet()) labels.put(e.getKey(), e.getValue());
            body.set("Labels", labels);
        }
        if (w.volumes() != null) {
            ArrayNode binds = f.arrayNode();
            ObjectNode anon = f.objectNode();
            for (String v : w.volumes()) {
                if (v.indexOf(':') < 0) anon.set(v, f.objectNode());
                else binds.add(ContainerDecision.volume(v));
            }
            if (anon.size() > 0) body.set("Volumes", anon);
            if (binds.size() > 0) host.set("Binds", binds);
        }
        if (w.ports() != null) {
            ObjectNode exposed = f.objectNode();
            ObjectNode bindings = f.objectNode();
            for (Map.Entry<String, Set<String>> e : ContainerDecision.bindings(w.ports()).entrySet()) {
                exposed.set(e.getKey(), f.objectNode());
                ArrayNode bs = f.arrayNode();
                for (String b : e.getValue()) {
                    int colon = b.lastIndexOf(':');
                    bs.addObject().put("HostIp", b.substring(0, colon)).put("HostPort", b.substring(colon + 1));
                }
                bindings.set(e.getKey(), bs);
            }
            body.set("ExposedPorts", exposed);
            host.set("PortBindings", bindings);
        }
        if (w.restartPolicy() != null) host.putObject("RestartPolicy").put("Name", w.restartPolicy().equals("no") ? "" : w.restartPolicy());
        if (w.devices() != null) {
            ArrayNode reqs = f.arrayNode();
            for (ContainerWant.DeviceRequest d : w.devices()) {
                ObjectNode r = reqs.addObject();
                r.put("Driver", d.driver() == null ? "" : d.driver());
                r.put("Count", d.count() == null ? 0 : d.count());
                if (d.deviceIds() != null) r.set("DeviceIDs", array(d.deviceIds()));
                ArrayNode caps = r.putArray("Capabilities");
                if (d.capabilities() != null) for (List<String> c : d.capabilities()) caps.add(array(c));
                ObjectNode opts = r.putObject("Options");
                if (d.options() != null) d.options().forEach(opts::put);
            }
            host.set("DeviceRequests", reqs);
        }
        if (w.networks() != null && !w.networks().isEmpty()) {
            host.put("NetworkMode", w.networks().get(0));
            body.putObject("NetworkingConfig").putObject("EndpointsConfig").putObject(w.networks().get(0));
        }
        body.set("HostConfig", host);
        try {
            return JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates container {@code name} from stdin's body through the Engine API ({@code curl
     * --unix-socket}, the API version the docker CLI negotiated), connects it to {@code more}
     * networks, and starts it when {@code start}.
     */
    public static String createScript(String name, List<String> more, boolean start) {
        StringBuilder s = new StringBuilder("set -eu\n")
                .append("fail() { printf 'docker_container: %s\\n' \"$*\" >&2; exit 1; }\n")
                .append("command -v curl >/dev/null 2>&1 || fail 'curl is needed to create a container through the Docker Engine API; install curl'\n")
                .append("sock=/var/run/docker.sock\n")
                .append("case \"${DOCKER_HOST:-}\" in unix://*) sock=${DOCKER_HOST#unix://};; esac\n")
                .append("ver=$(docker version --format '{{.Client.APIVersion}}' 2>/dev/null) || ver=\n")
                .append("t=$(mktemp -d); trap 'rm -rf \"$t\"' EXIT; cat > \"$t/body\"\n")
                .append("code=$(curl -sS --unix-socket \"$sock\" -o \"$t/reply\" -w '%{http_code}' -X POST -H 'Content-Type: application/json'")
                .append(" --data-binary \"@$t/body\" \"http://localhost${ver:+/v$ver}/containers/create?name=\"").append(Sh.q(name)).append(")\n")
                .append("[ \"$code\" = 201 ] || fail \"creating ").append(name.replace("\"", "")).append(": HTTP $code: $(cat \"$t/reply\")\"\n");
        for (String n : more) s.append("docker network connect ").append(Sh.q(n)).append(' ').append(Sh.q(name)).append(" >/dev/null\n");
        if (start) s.append("docker start ").append(Sh.q(name)).append(" >/dev/null\n");
        return s.toString();
    }

    private static ArrayNode array(List<String> xs) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (String x : xs) a.add(x);
        return a;
    }
}
