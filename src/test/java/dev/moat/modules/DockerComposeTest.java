package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;
import dev.moat.modules.docker.ComposeProjectFact;
import dev.moat.modules.docker.ComposeWant;

/**
 * docker_compose_v2's decisions on a recorded project: the testbed's {@code /opt/ai} (three
 * services, all running, read with Debian's docker-compose 1.29: {@code config --hash '*'} and the
 * project's {@code docker inspect}, in {@code compose-project-ai.txt}).
 */
class DockerComposeTest {
    private final DockerCompose module = new DockerCompose();

    static ComposeProjectFact.Project recorded() throws Exception {
        return ComposeProjectFact.parse(Files.readString(Path.of("src/test/resources/docker/compose-project-ai.txt")));
    }

    ComposeWant want(Map<String, Object> args) throws ArgException {
        return LocalHost.bind(module, args);
    }

    @Test
    void readsTheProject() throws Exception {
        ComposeProjectFact.Project p = recorded();
        assertEquals("docker-compose", p.tool());
        assertEquals(List.of("vllm", "ollama", "comfyui"), List.copyOf(p.hashes().keySet()));
        assertEquals(3, p.containers().size());
        assertEquals("/opt/ai/docker-compose.yml", p.defaultFile());
    }

    @Test
    void aConvergedProjectPlansNothing() throws Exception {
        assertFalse(DockerCompose.plan(want(Map.of("project_src", "/opt/ai")), recorded()).changes());
        assertFalse(DockerCompose.plan(want(Map.of("project_src", "/opt/ai", "services", List.of("vllm"))), recorded()).changes());
    }

    @Test
    void aChangedServiceIsRecreatedAndItsOldContainerSavedForUndo() throws Exception {
        String text = Files.readString(Path.of("src/test/resources/docker/compose-project-ai.txt")).replace("@@hash vllm 9be29a", "@@hash vllm 000000");
        Plan p = DockerCompose.plan(want(Map.of("project_src", "/opt/ai")), ComposeProjectFact.parse(text));
        assertEquals(2, p.steps().size());
        assertTrue(p.steps().get(0).describe().startsWith("save the configuration of ai_vllm_1"));
        assertTrue(p.steps().get(1).script().contains("$dc -p ai up -d\n"), p.steps().get(1).script());
        assertEquals(1, p.undo().size());
        assertTrue(p.undo().get(0) instanceof Undo.RecreateContainer r && r.name().equals("ai_vllm_1"));
        assertEquals(List.of("recreate ai_vllm_1"), p.result().get("actions"));
    }

    @Test
    void aMissingServiceIsCreatedAndRemovedOnUndo() throws Exception {
        String text = Files.readString(Path.of("src/test/resources/docker/compose-project-ai.txt")).replace("@@containers\n", "@@hash webui 1234\n@@containers\n");
        Plan p = DockerCompose.plan(want(Map.of("project_src", "/opt/ai", "pull", "never")), ComposeProjectFact.parse(text));
        assertEquals(List.of(new Undo.RemoveDocker("compose", "ai", List.of("webui"))), p.undo());
    }

    @Test
    void stoppedStopsRunningOnesAndUndoStartsThem() throws Exception {
        Plan p = DockerCompose.plan(want(Map.of("project_src", "/opt/ai", "state", "stopped", "services", List.of("ollama"))), recorded());
        assertTrue(p.steps().get(0).script().endsWith("$dc -p ai stop ollama\n"), p.steps().get(0).script());
        assertEquals(1, p.undo().size());
        assertTrue(p.undo().get(0) instanceof Undo.RecreateContainer r && r.name().equals("ai_ollama_1"));
    }

    @Test
    void absentTakesItDownAndUndoBringsItUpFromItsFile() throws Exception {
        Plan p = DockerCompose.plan(want(Map.of("project_src", "/opt/ai", "state", "absent")), recorded());
        assertTrue(p.steps().get(0).script().endsWith("$dc -p ai down\n"));
        Undo.RecreateCompose u = (Undo.RecreateCompose) p.undo().get(0);
        assertEquals("/opt/ai/docker-compose.yml", u.composeFile());
        assertEquals(List.of("ollama", "comfyui", "vllm").size(), u.services().size());
        assertEquals("ai", u.project());
    }

    @Test
    void restartedIsAlwaysAChangeThatCannotBeUndone() throws Exception {
        Plan p = DockerCompose.plan(want(Map.of("project_src", "/opt/ai", "state", "restarted")), recorded());
        assertTrue(p.undo().get(0) instanceof Undo.Irreversible);
    }

    @Test
    void problemsAndUnknownServicesFailByName() throws Exception {
        assertEquals("docker_compose_v2: no such service: nope (the project has vllm, ollama, comfyui)", assertThrows(TaskException.class,
                () -> DockerCompose.plan(want(Map.of("project_src", "/opt/ai", "services", List.of("nope"))), recorded())).getMessage());
        ComposeProjectFact.Project none = ComposeProjectFact.parse("@@problem\t\"/nope\" is not a directory\n");
        assertThrows(TaskException.class, () -> DockerCompose.plan(want(Map.of("project_src", "/nope")), none));
        assertEquals("project_src", assertThrows(ArgException.class, () -> want(Map.of("project_src", "relative"))).arg());
        assertEquals("my-app_1", ComposeWant.defaultProject("/srv/My-App_1.d/".replace(".d", "")));
    }
}
