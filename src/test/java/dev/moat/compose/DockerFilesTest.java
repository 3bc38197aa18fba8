package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.modules.LocalHost;

/**
 * Containers from dockerd's files equal what {@code docker inspect} said on the same host at the
 * same moment. Recorded on a testbed host (docker.io 20.10, Compose v1): the Compose project
 * {@code /opt/ai} (three running services), a {@code docker run} container publishing two ports with
 * a bind mount and a named volume, and a created, never started one; the files
 * ({@code var/lib/docker/containers/*}, {@code /var/run/docker.pid}, dockerd's {@code /proc} entries)
 * beside the CLI's answer ({@code cli/docker-inspect.json}).
 */
class DockerFilesTest {
    static final Path RECORDED = Path.of("src/test/resources/hostread/h2");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    /** Copies the tree {@code from} (a recorded host's files) under {@code to}, directories and files alike. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    /** The recorded files under {@code root}; a {@code docker} stand-in that leaves a mark and answers as the daemon did. */
    private void host() throws IOException {
        copyTree(RECORDED.resolve("root"), root);
        Path docker = root.resolve("bin/docker");
        Files.createDirectories(docker.getParent());
        Files.writeString(docker, "#!/bin/sh\necho \"$*\" >>" + root.resolve("ran") + "\n"
                + "case $1 in ps) echo id1;; inspect) cat " + RECORDED.toAbsolutePath().resolve("cli/docker-inspect.json") + ";; esac\n");
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private String run(String script) {
        FactOutput out = LocalHost.sh("PATH=" + root.resolve("bin") + ":/usr/bin:/bin; HOME=/root; unset DOCKER_HOST DOCKER_CONTEXT DOCKER_CONFIG\n" + script, null);
        assertEquals(0, out.rc(), out.errText());
        return out.text();
    }

    private boolean ranDocker() {
        return Files.exists(root.resolve("ran"));
    }

    /** Per container id: what moat reads of it. */
    private static Map<String, String> view(JsonNode array) {
        Map<String, String> m = new TreeMap<>();
        for (JsonNode c : array) {
            Set<JsonNode> mounts = new HashSet<>();
            c.path("Mounts").forEach(mounts::add);
            boolean running = c.path("State").path("Running").asBoolean();
            m.put(c.path("Id").asText(), String.join("\n", c.path("Name").asText(), c.path("Image").asText(),
                    c.path("State").path("Running").toString(), c.path("State").path("Paused").toString(), c.path("State").path("Restarting").toString(),
                    c.path("State").path("Status").asText(), c.path("Config").toString(), c.path("HostConfig").toString(),
                    running ? c.path("NetworkSettings").path("Ports").toString() : "", c.path("NetworkSettings").path("Networks").toString(),
                    mounts.toString()));
        }
        return m;
    }

    @Test
    void theFilesSayWhatDockerInspectSaid() throws IOException, TaskException {
        host();
        String out = run(DockerFiles.functions(root.toString()) + "moat_dockerd && moat_docker_files\n");
        assertTrue(DockerFiles.is(out), out);
        JsonNode cli = JSON.readTree(Files.readString(RECORDED.resolve("cli/docker-inspect.json")));
        assertEquals(5, cli.size());
        assertEquals(view(cli), view(DockerFiles.inspect(out)));
        assertFalse(ranDocker());
    }

    @Test
    void containersFactReadsTheFilesAndGivesTheSameContainers() throws IOException, TaskException {
        host();
        String out = run(new ContainersFact(root.toString()).script());
        assertFalse(ranDocker(), "the docker CLI ran");
        List<Container> files = ContainersFact.parse(out);
        List<Container> cli = ContainersFact.parse(Files.readString(RECORDED.resolve("cli/docker-inspect.json")));
        assertEquals(strip(cli), strip(files));
        Container run = files.stream().filter(c -> c.name().equals("rec-run")).findFirst().orElseThrow();
        assertEquals(cli.stream().filter(c -> c.name().equals("rec-run")).findFirst().orElseThrow().bindings().size(), run.bindings().size());
        assertEquals(4, run.bindings().size());
        assertEquals(2, JSON.readTree(run.inspect()).path("Mounts").size());
        // The Compose project's working directory comes with its real path (not there here: empty, as readlink -f fails).
        assertTrue(out.contains("\n" + ContainersFact.REALPATHS + "\n/opt/ai\t"), out);
    }

    /** Container without its raw inspect text (whose key order differs) and without the real path the CLI stand-in does not give. */
    private static List<List<Object>> strip(List<Container> cs) {
        return cs.stream().sorted((a, b) -> a.id().compareTo(b.id()))
                .map(c -> List.<Object>of(c.id(), c.name(), c.running(), c.labels(), Set.copyOf(c.bindings()), Set.copyOf(c.live())))
                .toList();
    }

    @Test
    void withoutARunningDockerdTheCliAnswers() throws IOException {
        host();
        Files.writeString(root.resolve("proc/15/comm"), "bash\n");
        String out = run(new ContainersFact(root.toString()).script());
        assertTrue(ranDocker());
        assertTrue(out.startsWith("["), out);
    }

    @Test
    void anotherDockerHostOrADataRootFlagIsFollowed() throws IOException {
        host();
        assertEquals("", run("DOCKER_HOST=tcp://x:2375; " + DockerFiles.functions(root.toString()) + "moat_dockerd && echo yes; exit 0\n"));
        Files.writeString(root.resolve("proc/15/cmdline"), "dockerd\0--data-root\0/srv/docker\0");
        assertEquals("", run(DockerFiles.functions(root.toString()) + "moat_dockerd && echo \"yes $dr\"; exit 0\n"));
        Files.createDirectories(root.resolve("srv/docker/containers"));
        assertEquals("yes /srv/docker\n", run(DockerFiles.functions(root.toString()) + "moat_dockerd && echo \"yes $dr\"; exit 0\n"));
        Files.writeString(root.resolve("proc/15/cmdline"), "dockerd\0");
        Files.createDirectories(root.resolve("etc/docker"));
        Files.writeString(root.resolve("etc/docker/daemon.json"), "{\n  \"data-root\": \"/srv/docker\",\n  \"log-level\": \"warn\"\n}\n");
        assertEquals("yes /srv/docker\n", run(DockerFiles.functions(root.toString()) + "moat_dockerd && echo \"yes $dr\"; exit 0\n"));
    }

    @Test
    void labelsAreReadFromTheFilesAndAnEscapedOneIsLeftToTheCli() throws IOException {
        host();
        String labels = run(DockerFiles.functions(root.toString()) + "moat_dockerd && moat_docker_labels\n");
        assertEquals(List.of("/opt/ai\tdocker-compose.yml"), labels.lines().distinct().toList());
        assertEquals(3, labels.lines().count());
        Path one = root.resolve("var/lib/docker/containers/544c5829803659aafebbac2a2a230c310d751553d16ad2795f1a3e2f1dde8274/config.v2.json");
        Files.writeString(one, Files.readString(one).replace("\"com.docker.compose.project.working_dir\":\"/opt/ai\"",
                "\"com.docker.compose.project.working_dir\":\"/opt/a\\u0026i\""));
        assertTrue(run(DockerFiles.functions(root.toString()) + "moat_dockerd && moat_docker_labels\n").contains("@@escaped"));
    }

    @Test
    void dockerHostAsksTheCliOnlyWhenAContainerOutsideComposePublishes() throws IOException {
        host();
        run(new DockerHostFact(root.toString()).script());
        assertTrue(ranDocker(), "rec-run publishes ports outside Compose: the CLI is asked for its extras");
        try (Stream<Path> s = Files.list(root.resolve("var/lib/docker/containers"))) {
            for (Path d : (Iterable<Path>) s::iterator) {
                if (Files.readString(d.resolve("config.v2.json")).contains("\"com.docker.compose.service\"")) continue;
                try (Stream<Path> all = Files.walk(d)) {
                    all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        Files.delete(root.resolve("ran"));
        assertEquals("docker yes\n", run(new DockerHostFact(root.toString()).script()).replaceAll("curl (yes|no)\n", ""));
        assertFalse(ranDocker(), "only Compose containers: nothing to ask the CLI");
    }
}
