package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Engine API create body from a real-shaped inspect of `docker run --gpus all --runtime nvidia -p 8000:8000 ... vllm/vllm-openai`. */
class CreateBodyTest {
    static String inspect() throws Exception {
        return Files.readString(Path.of("src/test/resources/docker/vllm-run.json"));
    }

    static JsonNode body(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void everythingInspectReportsGoesBackOnlyTheBindingsChange() throws Exception {
        ContainerConfig c = ContainerConfig.parse(inspect());
        JsonNode orig = body(CreateBody.original(c, c.imageRef()));
        JsonNode now = body(CreateBody.of(c, c.imageRef(), CreateBody.rebind(c.portBindings(), "127.0.0.1", PortFilter.ALL)));
        JsonNode in = new ObjectMapper().readTree(inspect());
        for (String k : List.of("Env", "Cmd", "Entrypoint", "WorkingDir", "User", "Labels", "Healthcheck", "Volumes", "ExposedPorts", "StopSignal",
                "StopTimeout", "Hostname")) {
            assertEquals(in.path("Config").path(k), orig.path(k), k);
            assertEquals(in.path("Config").path(k), now.path(k), k);
        }
        assertEquals("vllm/vllm-openai:v0.6.4", now.path("Image").asText());
        for (String k : List.of("DeviceRequests", "Runtime", "RestartPolicy", "LogConfig", "Ulimits", "ShmSize", "Memory", "IpcMode", "Init",
                "FutureOption", "MaskedPaths", "NetworkMode")) {
            assertEquals(in.path("HostConfig").path(k), now.path("HostConfig").path(k), k);
        }
        assertEquals(in.path("HostConfig").path("PortBindings"), orig.path("HostConfig").path("PortBindings"));
        assertEquals("{\"8000/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8000\"}],\"9400/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"9400\"}]}",
                now.path("HostConfig").path("PortBindings").toString());
        JsonNode a = orig.deepCopy();
        JsonNode b = now.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) a.path("HostConfig")).remove("PortBindings");
        ((com.fasterxml.jackson.databind.node.ObjectNode) b.path("HostConfig")).remove("PortBindings");
        assertEquals(a, b, "the two bodies differ in their bindings only");
    }

    @Test
    void namedAndAnonymousVolumesAreReattachedNeverFresh() throws Exception {
        ContainerConfig c = ContainerConfig.parse(inspect());
        JsonNode host = body(CreateBody.original(c, c.imageRef())).path("HostConfig");
        List<String> binds = new java.util.ArrayList<>();
        host.path("Binds").forEach(x -> binds.add(x.asText()));
        assertEquals(List.of("/root/.cache/huggingface:/root/.cache/huggingface", "vllm-cache:/root/.cache/vllm",
                "0b9c5e2f7a1d4c3b8e6f9a2d5c1b7e4f3a8d6c9b2e5f1a7d4c3b8e6f9a2d5c1b:/data"), binds,
                "-v /data (anonymous) is attached by its volume's name");
        assertEquals("7e1f3a5c9b2d4e6f8a0c1b3d5e7f9a2c4b6d8e0f1a3c5e7b9d2f4a6c8e0b1d3f", host.path("Mounts").get(0).path("Source").asText(),
                "--mount type=volume without a source gets the volume it has");
    }

    @Test
    void networksKeepWhatCreateTakesWithoutWhatDockerDerives() throws Exception {
        ContainerConfig c = ContainerConfig.parse(inspect());
        JsonNode eps = body(CreateBody.original(c, c.imageRef())).path("NetworkingConfig").path("EndpointsConfig");
        assertEquals("{\"IPAMConfig\":null,\"Links\":null,\"DriverOpts\":null}", eps.path("bridge").toString(),
                "no MAC: the bridge one is 02:42 + its address, derived");
        assertEquals("{\"IPAMConfig\":{\"IPv4Address\":\"10.20.0.5\"},\"Links\":null,\"DriverOpts\":null,\"Aliases\":[\"llm\"],"
                + "\"MacAddress\":\"6a:1f:22:90:ab:01\"}", eps.path("ai").toString(), "the old short ID is no alias of the new one");
        assertEquals("02:42:ac:11:00:02", CreateBody.generatedMac("172.17.0.2"));
    }

    @Test
    void anImageNameThatMovedIsReplacedByTheID() throws Exception {
        ContainerConfig c = ContainerConfig.parse(inspect());
        assertEquals(c.imageId(), body(CreateBody.original(c, c.imageId())).path("Image").asText());
    }

    @Test
    void legacyLinksGoBackInCreatesForm() throws Exception {
        String json = "{\"Id\":\"x\",\"Config\":{},\"HostConfig\":{\"Links\":[\"/db:/web/db\",\"/cache:/web/redis\"]}}";
        ContainerConfig c = ContainerConfig.parse(json);
        assertEquals("[\"db:db\",\"cache:redis\"]", body(CreateBody.original(c, "img")).path("HostConfig").path("Links").toString());
    }

    static Map<String, List<Binding>> pb(Binding... bs) {
        Map<String, List<Binding>> m = new LinkedHashMap<>();
        for (Binding b : bs) m.computeIfAbsent(b.containerPort(), k -> new java.util.ArrayList<>()).add(b);
        return m;
    }

    @Test
    void rebindMovesExposedInScopePortsAndIPv6ToLoopback() {
        Map<String, List<Binding>> in = pb(new Binding("8000/tcp", "", "8000"), new Binding("8188/tcp", "0.0.0.0", "8188"),
                new Binding("8188/tcp", "::", "8188"), new Binding("9000/tcp", "203.0.113.7", "9000"), new Binding("22/tcp", "", "2222"));
        Map<String, List<Binding>> out = CreateBody.rebind(in, "127.0.0.1", new PortFilter(List.of(new PortRange(8000, 9000))));
        assertEquals(List.of(new Binding("8000/tcp", "127.0.0.1", "8000")), out.get("8000/tcp"));
        assertEquals(List.of(new Binding("8188/tcp", "127.0.0.1", "8188"), new Binding("8188/tcp", "::1", "8188")), out.get("8188/tcp"));
        assertEquals(List.of(new Binding("9000/tcp", "127.0.0.1", "9000")), out.get("9000/tcp"));
        assertEquals(List.of(new Binding("22/tcp", "", "2222")), out.get("22/tcp"), "out of the ports filter: left");
        Map<String, List<Binding>> lan = CreateBody.rebind(in, "10.0.0.5", PortFilter.ALL);
        assertEquals(List.of(new Binding("8188/tcp", "10.0.0.5", "8188")), lan.get("8188/tcp"), "IPv6 has no counterpart of an IPv4 LAN bind: dropped");
        Map<String, List<Binding>> twice = CreateBody.rebind(pb(new Binding("80/tcp", "0.0.0.0", "80"), new Binding("80/tcp", "", "80")), "127.0.0.1",
                PortFilter.ALL);
        assertEquals(1, twice.get("80/tcp").size(), "duplicates merged");
        assertFalse(CreateBody.rebind(in, "127.0.0.1", PortFilter.ALL).get("8000/tcp").get(0).exposed("127.0.0.1"));
        assertTrue(in.get("8000/tcp").get(0).exposed("127.0.0.1"));
    }
}
