package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.TaskException;

class ContainersFactTest {
    /** Trimmed from a real `docker inspect` of a compose container: an exposed-only port has a null list. */
    static final String INSPECT = """
            [
              {
                "Id": "3f1c",
                "Name": "/vllm-vllm-1",
                "State": {"Status": "running", "Running": true},
                "HostConfig": {"PortBindings": {"8000/tcp": [{"HostIp": "", "HostPort": "8000"}]}},
                "Config": {"Labels": {"com.docker.compose.project": "vllm", "com.docker.compose.service": "vllm",
                  "com.docker.compose.project.config_files": "/opt/vllm/compose.yaml",
                  "com.docker.compose.project.working_dir": "/opt/vllm"}},
                "NetworkSettings": {"Ports": {"8000/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8000"}, {"HostIp": "::", "HostPort": "8000"}],
                  "9000/tcp": null}}
              },
              {
                "Id": "77aa", "Name": "/old", "State": {"Running": false},
                "HostConfig": {"PortBindings": {}}, "Config": {"Labels": null}, "NetworkSettings": {"Ports": {}}
              }
            ]
            """;

    @Test
    void readsLabelsAndBindings() throws Exception {
        List<Container> cs = ContainersFact.parse(INSPECT);
        assertEquals(2, cs.size());
        Container c = cs.get(0);
        assertEquals("vllm-vllm-1", c.name());
        assertEquals("vllm", c.project());
        assertEquals(List.of("/opt/vllm/compose.yaml"), c.configFiles());
        assertEquals(List.of("0.0.0.0:8000->8000/tcp", "0.0.0.0:8000->8000/tcp", "[::]:8000->8000/tcp"),
                c.bindings().stream().map(Binding::toString).toList());
        assertEquals(List.of("0.0.0.0:8000->8000/tcp", "[::]:8000->8000/tcp"), c.live().stream().map(Binding::toString).toList(),
                "what Docker has published now, without the request it was made from");
        assertEquals(false, cs.get(1).running());
        assertEquals(List.of(), cs.get(1).live());
        assertEquals(List.of(), ContainersFact.parse("[]"));
        assertEquals(List.of(), ContainersFact.parse(""));
        assertThrows(TaskException.class, () -> ContainersFact.parse("Cannot connect to the Docker daemon"));
    }

    @Test
    void scriptResolvesWorkingDirectoriesThroughSymlinks(@TempDir Path tmp) throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real/vllm"));
        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, tmp.resolve("real"));
        String wd = link + "/vllm";
        String json = "[{\"Id\":\"a\",\"Name\":\"/v\",\"State\":{\"Running\":true},\"Config\":{\"Labels\":{"
                + "\"com.docker.compose.project\":\"vllm\",\"com.docker.compose.service\":\"vllm\","
                + "\"com.docker.compose.project.working_dir\":\"" + wd + "\","
                + "\"com.docker.compose.project.config_files\":\"" + wd + "/compose.yaml\"}},\"HostConfig\":{},\"NetworkSettings\":{}}]";
        Files.writeString(tmp.resolve("inspect.json"), json);
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path docker = bin.resolve("docker");
        Files.writeString(docker, "#!/bin/sh\ncase \"$1 $2\" in\n  'ps -aq') echo a;;\n  'inspect --format') echo '" + wd + "'; echo '';;\n"
                + "  inspect*) cat " + tmp.resolve("inspect.json") + ";;\nesac\n");
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
        LocalSh.Result r = LocalSh.run(new ContainersFact().script(), null, null, Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertEquals(0, r.rc(), r.err());
        Container c = ContainersFact.parse(r.text()).get(0);
        assertEquals(real.toRealPath().toString(), c.realWorkingDir());
        assertEquals(List.of(wd + "/compose.yaml", real.toRealPath() + "/compose.yaml"), c.configFilesAnyPath());
    }
}
