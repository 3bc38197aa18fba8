package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;
import dev.moat.modules.docker.DockerFact;

/** docker_image and docker_network decisions on inspect output recorded on a testbed host (Docker 20.10, Debian 12). */
class DockerImageNetworkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code docker network inspect} of a network made with {@code docker network create --subnet 172.30.0.0/24 --gateway 172.30.0.1 ai}. */
    static final String NETWORK = """
            [{"Name":"ai","Id":"5b3e","Created":"2026-12-07T15:20:00Z","Scope":"local","Driver":"bridge","EnableIPv6":false,
              "IPAM":{"Driver":"default","Options":{},"Config":[{"Subnet":"172.30.0.0/24","Gateway":"172.30.0.1"}]},
              "Internal":false,"Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,
              "Containers":{},"Options":{},"Labels":{}}]
            """;

    @Test
    void aNetworkIsCreatedOnceAndRemovedOnUndo() throws Exception {
        DockerNetwork m = new DockerNetwork();
        DockerNetwork.NetworkArgs a = LocalHost.bind(m, Map.of("name", "ai", "ipam_config", List.of(Map.of("subnet", "172.30.0.0/24", "gateway", "172.30.0.1"))));
        Plan create = DockerNetwork.plan(a, JSON.missingNode());
        assertEquals("docker network create --driver bridge --subnet 172.30.0.0/24 --gateway 172.30.0.1 ai >/dev/null", create.steps().get(0).script());
        assertEquals(List.of(new Undo.RemoveDocker("network", "ai")), create.undo());
        JsonNode net = DockerFact.parse(NETWORK);
        assertFalse(DockerNetwork.plan(a, net).changes());
        assertFalse(DockerNetwork.plan(LocalHost.bind(m, Map.of("name", "ai")), net).changes(), "ipam not given: not compared");
    }

    @Test
    void aDifferentSubnetRecreatesItUnlessContainersAreAttached() throws Exception {
        DockerNetwork m = new DockerNetwork();
        DockerNetwork.NetworkArgs a = LocalHost.bind(m, Map.of("name", "ai", "ipam_config", List.of(Map.of("subnet", "172.31.0.0/24"))));
        Plan p = DockerNetwork.plan(a, DockerFact.parse(NETWORK));
        assertEquals(2, p.steps().size());
        assertTrue(p.undo().get(0) instanceof Undo.Irreversible);
        JsonNode attached = DockerFact.parse(NETWORK.replace("\"Containers\":{}", "\"Containers\":{\"abc\":{\"Name\":\"vllm\"}}"));
        TaskException e = assertThrows(TaskException.class, () -> DockerNetwork.plan(a, attached));
        assertTrue(e.getMessage().contains("vllm"), e.getMessage());
        Plan absent = DockerNetwork.plan(LocalHost.bind(m, Map.of("name", "ai", "state", "absent")), DockerFact.parse(NETWORK));
        assertEquals("docker network rm ai >/dev/null", absent.steps().get(0).script());
        assertTrue(DockerNetwork.plan(LocalHost.bind(m, Map.of("name", "ai", "state", "absent")), JSON.missingNode()).steps().isEmpty());
        assertEquals("ipam_config", assertThrows(ArgException.class, () -> LocalHost.bind(m, Map.of("name", "ai", "ipam_config", List.of(Map.of("subnet", "$(x)"))))).arg());
    }

    @Test
    void anImageIsLoadedOnlyWhenMissingAndItsTagRemovedOnUndo() throws Exception {
        DockerImage m = new DockerImage();
        DockerImage.ImageArgs a = LocalHost.bind(m, Map.of("name", "moat/fake-ai", "tag", "e2e", "source", "load", "load_path", "/srv/fake.tar"));
        assertEquals("moat/fake-ai:e2e", a.ref());
        Plan p = DockerImage.plan(a, JSON.missingNode());
        assertTrue(p.steps().get(0).script().contains("docker load -i /srv/fake.tar"), p.steps().get(0).script());
        assertTrue(p.steps().get(0).script().contains("The archive did not contain image moat/fake-ai:e2e"));
        assertEquals(List.of(new Undo.RemoveDocker("image", "moat/fake-ai:e2e")), p.undo());
        JsonNode have = JSON.readTree("{\"Id\":\"sha256:1f\",\"RepoTags\":[\"moat/fake-ai:e2e\"]}");
        assertFalse(DockerImage.plan(a, have).changes());
        assertTrue(DockerImage.plan(LocalHost.bind(m, Map.of("name", "moat/fake-ai:e2e", "source", "load", "load_path", "/srv/fake.tar", "force_source", true)), have).changes());
        Plan pull = DockerImage.plan(LocalHost.bind(m, Map.of("name", "busybox:1.36", "source", "pull")), JSON.missingNode());
        assertEquals("docker pull busybox:1.36 >/dev/null", pull.steps().get(0).script());
        Plan absent = DockerImage.plan(LocalHost.bind(m, Map.of("name", "moat/fake-ai:e2e", "state", "absent")), have);
        assertTrue(absent.undo().get(0) instanceof Undo.Irreversible);
        assertEquals("load_path", assertThrows(ArgException.class, () -> LocalHost.bind(m, Map.of("name", "x", "source", "load"))).arg());
        assertEquals("source", assertThrows(ArgException.class, () -> LocalHost.bind(m, Map.of("name", "x"))).arg());
    }
}
