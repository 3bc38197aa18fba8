package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Plan;
import dev.moat.modules.docker.ContainerBody;
import dev.moat.modules.docker.ContainerDecision;
import dev.moat.modules.docker.ContainerWant;

/**
 * docker_container's decision against community.docker 3.4.7's (Debian's ansible 2.14):
 * {@code src/test/resources/docker/container-cases.yml} ran each case in check mode against a
 * container that docker_container itself had created on a testbed host, and recorded its
 * {@code changed} and the container's {@code docker inspect} in {@code container-ansible-3.4.7.json}.
 * moat decides every case from that inspect; the one difference is named below.
 */
class DockerContainerTest {
    private static final Path RES = Path.of("src/test/resources/docker");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DockerContainer module = new DockerContainer();

    /** Ansible's check mode reports no change for a restart policy its real run updates in place (changed); moat reports it in both. */
    private static final Map<String, Boolean> DIFFERS = Map.of("restart_always", true);

    @SuppressWarnings("unchecked")
    @Test
    void decidesAsTheCollectionOnRecordedInspect() throws Exception {
        Map<String, Object> rec = (Map<String, Object>) new YAMLMapper().readValue(RES.resolve("container-cases.yml").toFile(), List.class).get(0);
        Map<String, Object> vars = (Map<String, Object>) rec.get("vars");
        Map<String, Object> base = (Map<String, Object>) vars.get("base");
        Map<String, Object> cases = (Map<String, Object>) vars.get("cases");
        JsonNode recorded = JSON.readTree(RES.resolve("container-ansible-3.4.7.json").toFile());
        JsonNode inspect = recorded.path("inspect").get(0);
        JsonNode image = JSON.createObjectNode().put("Id", inspect.path("Image").asText());
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            Map<String, Object> args = new LinkedHashMap<>(base);
            args.putAll((Map<String, Object>) c.getValue());
            ContainerWant w = LocalHost.bind(module, args);
            boolean moat = ContainerDecision.decide(w, inspect, image).changes();
            boolean ansible = DIFFERS.getOrDefault(c.getKey(), recorded.path("changed").path(c.getKey()).asBoolean());
            assertTrue(recorded.path("changed").has(c.getKey()), c.getKey());
            if (moat != ansible) wrong.add(c.getKey() + ": moat " + moat + ", ansible " + ansible);
        }
        assertEquals(List.of(), wrong);
        assertEquals(cases.size(), recorded.path("changed").size());
    }

    @Test
    void aMissingContainerIsCreatedStartedAndRemovedOnUndo() throws Exception {
        ContainerWant w = LocalHost.bind(module, Map.of("name", "vllm", "image", "moat/fake-ai:latest", "published_ports", List.of("8000:8000")));
        Plan p = DockerContainer.plan(w, JSON.missingNode(), JSON.createObjectNode().put("Id", "sha256:abc"));
        assertEquals(1, p.steps().size());
        assertTrue(p.steps().get(0).script().contains("docker start " + dev.moat.transport.Sh.q("vllm")), p.steps().get(0).script());
        assertEquals(List.of(new Undo.RemoveDocker("container", "vllm")), p.undo());
        JsonNode body = JSON.readTree(p.steps().get(0).stdin());
        assertEquals("0.0.0.0", body.path("HostConfig").path("PortBindings").path("8000/tcp").get(0).path("HostIp").asText());
        assertEquals("8000", body.path("HostConfig").path("PortBindings").path("8000/tcp").get(0).path("HostPort").asText());
    }

    @Test
    void aMissingImageIsPulledFirstUnlessPullIsNever() throws Exception {
        ContainerWant w = LocalHost.bind(module, Map.of("name", "a", "image", "busybox:1"));
        assertTrue(DockerContainer.plan(w, JSON.missingNode(), JSON.missingNode()).steps().get(0).script().startsWith("docker pull " + dev.moat.transport.Sh.q("busybox:1")));
        ContainerWant never = LocalHost.bind(module, Map.of("name", "a", "image", "busybox:1", "pull", "never"));
        assertFalse(DockerContainer.plan(never, JSON.missingNode(), JSON.missingNode()).steps().get(0).script().contains("docker pull"));
    }

    @Test
    void aChangedContainerIsSavedThenRecreatedAndPutBackOnUndo() throws Exception {
        JsonNode inspect = JSON.readTree(RES.resolve("container-ansible-3.4.7.json").toFile()).path("inspect").get(0);
        JsonNode image = JSON.createObjectNode().put("Id", inspect.path("Image").asText());
        ContainerWant w = LocalHost.bind(module, Map.of("name", "web", "image", "moat/fake-ai:latest", "published_ports", List.of("0.0.0.0:9000:9000")));
        Plan p = DockerContainer.plan(w, inspect, image);
        assertEquals(3, p.steps().size(), p.steps().toString());
        assertTrue(p.steps().get(0).describe().startsWith("save the configuration of web"));
        JsonNode saved = JSON.readTree(p.steps().get(0).stdin());
        assertEquals("127.0.0.1", saved.path("HostConfig").path("PortBindings").path("9000/tcp").get(0).path("HostIp").asText());
        assertTrue(p.steps().get(1).script().startsWith("docker rm -f"));
        String id = inspect.path("Id").asText();
        assertEquals(List.of(new Undo.RecreateContainer("web", id, dev.moat.journal.ContainerControl.saved(id))), p.undo());
        assertTrue(p.message().contains("published_ports: 9000/tcp [127.0.0.1:9000] → [0.0.0.0:9000]"), p.message());
    }

    @Test
    void stateStoppedStopsWithoutRecreatingAndAbsentRemoves() throws Exception {
        JsonNode inspect = JSON.readTree(RES.resolve("container-ansible-3.4.7.json").toFile()).path("inspect").get(0);
        JsonNode image = JSON.createObjectNode().put("Id", inspect.path("Image").asText());
        Plan stop = DockerContainer.plan(LocalHost.bind(module, Map.of("name", "web", "image", "moat/fake-ai:latest", "state", "stopped")), inspect, image);
        assertEquals(List.of("stop container web"), stop.steps().stream().map(s -> s.describe()).toList());
        Plan absent = DockerContainer.plan(LocalHost.bind(module, Map.of("name", "web", "state", "absent")), inspect, null);
        assertEquals(2, absent.steps().size());
        assertTrue(absent.undo().get(0) instanceof Undo.RecreateContainer);
        assertTrue(DockerContainer.plan(LocalHost.bind(module, Map.of("name", "web", "state", "absent")), JSON.missingNode(), null).steps().isEmpty());
    }

    @Test
    void gpuRequestsGoIntoTheBodyAndAreCompared() throws Exception {
        Map<String, Object> gpu = Map.of("driver", "nvidia", "count", -1, "capabilities", List.of(List.of("gpu")));
        ContainerWant w = LocalHost.bind(module, Map.of("name", "g", "image", "x", "device_requests", List.of(gpu), "state", "present"));
        JsonNode body = JSON.readTree(ContainerBody.of(w));
        JsonNode req = body.path("HostConfig").path("DeviceRequests").get(0);
        assertEquals("nvidia", req.path("Driver").asText());
        assertEquals(-1, req.path("Count").asInt());
        assertEquals("gpu", req.path("Capabilities").get(0).get(0).asText());
        ObjectNode inspect = JSON.createObjectNode();
        inspect.putObject("State").put("Running", false);
        inspect.put("Image", "sha256:x");
        inspect.putObject("HostConfig").set("DeviceRequests", body.path("HostConfig").path("DeviceRequests"));
        assertFalse(ContainerDecision.decide(w, inspect, JSON.createObjectNode().put("Id", "sha256:x")).changes());
        ContainerWant two = LocalHost.bind(module, Map.of("name", "g", "image", "x", "state", "present",
                "device_requests", List.of(Map.of("driver", "nvidia", "count", 2, "capabilities", List.of(List.of("gpu"))))));
        assertTrue(ContainerDecision.decide(two, inspect, JSON.createObjectNode().put("Id", "sha256:x")).changes());
    }

    @Test
    void badInputIsRefusedByArgument() {
        assertEquals("image", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("name", "a"))).arg());
        assertEquals("name", assertThrows(ArgException.class, () -> LocalHost.bind(module, Map.of("name", "-rf", "image", "x"))).arg());
        assertEquals("published_ports", assertThrows(ArgException.class,
                () -> LocalHost.bind(module, Map.of("name", "a", "image", "x", "published_ports", List.of("1.2.3:80:80")))).arg());
        assertEquals("device_requests", assertThrows(ArgException.class,
                () -> LocalHost.bind(module, Map.of("name", "a", "image", "x", "device_requests", List.of(Map.of("gpus", 1))))).arg());
    }
}
