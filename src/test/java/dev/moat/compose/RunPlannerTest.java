package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Which containers outside Compose are recreated, restarted through their unit, or refused, from inspect fixtures. */
class RunPlannerTest {
    static final String ID = "4f8e2c1d9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d";
    static final String IMAGE = "sha256:9d5b1f2c3a4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c";
    static final DockerHostFact.DockerHost HOST = new DockerHostFact.DockerHost(true, true, "1.51",
            Map.of(ID, new DockerHostFact.Extra(4096, IMAGE)));

    static String vllm(String... replacements) throws Exception {
        String s = CreateBodyTest.inspect();
        for (int i = 0; i < replacements.length; i += 2) {
            String next = s.replace(replacements[i], replacements[i + 1]);
            if (next.equals(s)) throw new AssertionError("fixture has no " + replacements[i]);
            s = next;
        }
        return s;
    }

    static List<Container> containers(String... inspects) throws Exception {
        return ContainersFact.parse("[" + String.join(",", inspects) + "]");
    }

    static final String COMPOSE = "{\"Id\":\"c0\",\"Name\":\"/comfy-comfy-1\",\"State\":{\"Running\":true},\"Config\":{\"Labels\":{"
            + "\"com.docker.compose.project\":\"comfy\",\"com.docker.compose.service\":\"comfy\"}},\"HostConfig\":{\"NetworkMode\":\"comfy_default\","
            + "\"PortBindings\":{\"8188/tcp\":[{\"HostIp\":\"::\",\"HostPort\":\"8188\"}]}},\"NetworkSettings\":{\"Ports\":{\"8188/tcp\":[{\"HostIp\":\"::\",\"HostPort\":\"8188\"}]}}}";

    RunDecision decide(List<Container> cs, DockerHostFact.DockerHost host, StartFilesFact.StartFile... files) {
        return new RunPlanner("127.0.0.1", PortFilter.ALL, 100L << 20).decide(cs, host, List.of(files));
    }

    @Test
    void aDockerRunContainerIsRecreatedOnLoopback() throws Exception {
        RunDecision d = decide(containers(vllm()), HOST);
        assertEquals(List.of(), d.refusals());
        RunDecision.Recreation r = d.recreate().get(0);
        assertEquals("vllm", r.name());
        assertEquals(ID, r.id());
        assertEquals("vllm/vllm-openai:v0.6.4", r.image());
        assertEquals(List.of("0.0.0.0:8000->8000/tcp", "0.0.0.0:8000->8000/tcp", "[::]:8000->8000/tcp"), r.before().stream().map(Binding::toString).toList());
        assertEquals(List.of("127.0.0.1:8000->8000/tcp"), r.after().stream().map(Binding::toString).toList());
        assertEquals("{\"8000/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8000\"}],\"9400/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"9400\"}]}",
                r.bindingsJson());
        assertEquals(List.of("8000/tcp"), r.ports());
        assertTrue(d.notes().isEmpty(), "restart policy unless-stopped: Docker brings it back itself: " + d.notes());
    }

    @Test
    void everyExposedContainerIsComposePortsOrOurs() throws Exception {
        String portainer = vllm("\"Name\": \"/vllm\"", "\"Name\": \"/portainer-started\"",
                "\"team\": \"ml\"", "\"com.docker.compose.project\": \"half\", \"io.portainer.accesscontrol.teams\": \"ml\"");
        List<Container> cs = containers(COMPOSE, portainer);
        RunDecision d = decide(cs, HOST);
        List<String> ours = new ArrayList<>();
        for (RunDecision.Recreation r : d.recreate()) ours.add(r.name());
        for (Container c : cs) {
            assertTrue(c.compose() != ours.contains(c.name()), c.name() + " is claimed by exactly one of compose_ports and container_ports");
        }
        assertEquals(List.of("portainer-started"), ours, "a project label without a service label is no Compose container");
    }

    @Test
    void unfaithfulRecreationsFailNamingContainerAndPort() throws Exception {
        assertRefused(decide(containers(vllm("\"Privileged\": false", "\"Privileged\": true")), HOST), "--privileged");
        assertRefused(decide(containers(vllm("\"VolumesFrom\": null", "\"VolumesFrom\": [\"data\"]")), HOST), "--volumes-from");
        assertRefused(decide(containers(vllm("\"ContainerIDFile\": \"\"", "\"ContainerIDFile\": \"/run/vllm.cid\"")), HOST), "--cidfile");
        assertRefused(decide(containers(vllm("\"Paused\": false", "\"Paused\": true")), HOST), "paused");
        String sidecar = "{\"Id\":\"s1\",\"Name\":\"/exporter\",\"State\":{\"Running\":true},\"Config\":{},\"HostConfig\":{\"NetworkMode\":\"container:vllm\"}}";
        assertRefused(decide(containers(vllm(), sidecar), HOST), "exporter shares its namespaces");
        assertRefused(decide(containers(vllm()), new DockerHostFact.DockerHost(true, true, "1.51", Map.of(ID, new DockerHostFact.Extra(30L << 30, IMAGE)))),
                "30720 MiB into its own writable layer");
        assertRefused(decide(containers(vllm()), new DockerHostFact.DockerHost(true, false, "1.51", Map.of(ID, new DockerHostFact.Extra(0, IMAGE)))),
                "curl is not installed");
        assertRefused(decide(containers(vllm()), new DockerHostFact.DockerHost(true, true, "1.43", Map.of(ID, new DockerHostFact.Extra(0, IMAGE)))),
                "2 networks");
    }

    static void assertRefused(RunDecision d, String why) {
        assertEquals(1, d.refusals().size(), d.toString());
        String r = d.refusals().get(0);
        assertTrue(r.startsWith("vllm publishes 0.0.0.0:8000->8000/tcp"), r);
        assertTrue(r.contains(why), r);
        assertEquals(List.of(), d.recreate());
    }

    @Test
    void aMovedImageNameIsReplacedByItsId() throws Exception {
        RunDecision d = decide(containers(vllm()), new DockerHostFact.DockerHost(true, true, "1.51", Map.of(ID, new DockerHostFact.Extra(0, "sha256:other"))));
        assertEquals(null, d.recreate().get(0).image());
        assertTrue(d.recreate().get(0).rebound().contains("\"Image\":\"" + IMAGE + "\""));
    }

    @Test
    void hostNetworkIsNotPublishedAndLoopbackIsConverged() throws Exception {
        RunDecision host = decide(containers(vllm("\"NetworkMode\": \"bridge\"", "\"NetworkMode\": \"host\"")), HOST);
        assertEquals(List.of(), host.recreate());
        assertTrue(host.notes().get(0).contains("network mode host"));
        RunDecision done = decide(containers(vllm("{\"HostIp\": \"\", \"HostPort\": \"8000\"}", "{\"HostIp\": \"127.0.0.1\", \"HostPort\": \"8000\"}",
                "{\"HostIp\": \"0.0.0.0\", \"HostPort\": \"8000\"}, {\"HostIp\": \"::\", \"HostPort\": \"8000\"}", "{\"HostIp\": \"127.0.0.1\", \"HostPort\": \"8000\"}")),
                HOST);
        assertEquals(List.of(), done.recreate());
        assertEquals(List.of(), done.refusals());
    }

    @Test
    void startSources() throws Exception {
        StartFilesFact.StartFile unit = new StartFilesFact.StartFile("/etc/systemd/system/vllm.service", "vllm.service",
                "[Service]\nExecStart=/usr/bin/docker run --name vllm -p 8000:8000 vllm/vllm-openai\n");
        RunDecision fg = decide(containers(vllm()), HOST, unit);
        assertEquals(List.of(), fg.recreate(), "a unit runs it in the foreground: restarting the unit recreates it");
        assertEquals("vllm.service", fg.restart().get(0).unit());
        assertEquals(List.of(8000), fg.restart().get(0).hostPorts());
        assertEquals("[Service]\nExecStart=/usr/bin/docker run --name vllm -p 127.0.0.1:8000:8000 vllm/vllm-openai\n", fg.patches().get(0).after());
        assertTrue(fg.patches().get(0).unit());

        StartFilesFact.StartFile script = new StartFilesFact.StartFile("/usr/local/bin/start-vllm", "vllm.service",
                "#!/bin/sh\ndocker rm -f vllm\nexec docker run -d --name vllm -p 8000:8000 vllm/vllm-openai\n");
        RunDecision bg = decide(containers(vllm()), HOST, script);
        assertEquals(1, bg.recreate().size(), "detached: recreated through the API, and its script patched");
        assertEquals(1, bg.patches().size());

        StartFilesFact.StartFile variable = new StartFilesFact.StartFile("/etc/rc.local", null, "docker run -d --name vllm -p $PORT:8000 vllm\n");
        assertRefused(decide(containers(vllm()), HOST, variable), "/etc/rc.local starts it with -p $PORT:8000");

        RunDecision unknown = decide(containers(vllm("\"Name\": \"unless-stopped\"", "\"Name\": \"no\"")), HOST);
        assertEquals(1, unknown.recreate().size());
        assertTrue(unknown.notes().get(0).startsWith("moat cannot tell how vllm is started again (restart policy no"), unknown.notes().toString());
    }
}
