package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.compose.ComposeFilesFact;
import dev.moat.compose.ComposeToolFact;
import dev.moat.compose.ContainersFact;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.Facts;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

/** The module end to end on fact fixtures: what a host's reads look like in, the plan out. */
class ComposePortsTest {
    final ComposePorts module = new ComposePorts();

    static final String FILE = "/opt/vllm/docker-compose.yml";
    static final String EXPOSED = "services:\n  vllm:\n    image: vllm  # GPU\n    ports:\n      - \"8000:8000\"\n"
            + "      - target: 8001\n        published: 8001\n  worker:\n    image: w\n";

    /** Fact outputs by key; facts absent from the map fail the test. */
    static final class FakeFacts implements Facts {
        final Map<String, byte[]> out = new HashMap<>();

        @Override
        public <T> T get(Fact<T> fact) throws TaskException {
            byte[] b = out.get(fact.key());
            if (b == null) throw new AssertionError("fact not declared: " + fact.key());
            return fact.parse(new FactOutput(0, b, new byte[0]));
        }
    }

    static final PlanContext CTX = new PlanContext() {
        public String host() { return "gpu-01"; }
        public boolean check() { return false; }
        public Path localPath(String path, String subdir) { return Path.of(path); }
        public String render(String template) { return template; }
        public Object eval(String expression) { return null; }
        public Map<String, Object> vars() { return Map.of(); }
    };

    static String framed(String path, String text) {
        int n = text.getBytes(StandardCharsets.UTF_8).length;
        return "F\t" + n + "\t" + path + "\t" + path + "\n" + text;
    }

    static String container(String name, String project, String service, String files, String dir, boolean running, String ip, int port) {
        String labels = project == null ? "{}" : "{\"com.docker.compose.project\":\"" + project + "\",\"com.docker.compose.service\":\"" + service + "\""
                + (files == null ? "" : ",\"com.docker.compose.project.config_files\":\"" + files + "\"")
                + (dir == null ? "" : ",\"com.docker.compose.project.working_dir\":\"" + dir + "\"") + "}";
        String binding = port == 0 ? "{}" : "{\"" + port + "/tcp\":[{\"HostIp\":\"" + ip + "\",\"HostPort\":\"" + port + "\"}]}";
        return "{\"Id\":\"id-" + name + "\",\"Name\":\"/" + name + "\",\"State\":{\"Running\":" + running + "},"
                + "\"Config\":{\"Labels\":" + labels + "},\"HostConfig\":{\"PortBindings\":" + binding + "},"
                + "\"NetworkSettings\":{\"Ports\":" + (running ? binding : "{}") + "}}";
    }

    ComposePorts.ComposeArgs args(Map<String, Object> raw) throws ArgException {
        return module.bind(Args.check(module.spec(), raw));
    }

    FakeFacts facts(ComposePorts.ComposeArgs a, String files, String tool, String... containers) {
        FakeFacts f = new FakeFacts();
        for (Fact<?> fact : module.reads(a)) {
            String v = fact instanceof ComposeFilesFact ? files : fact instanceof ComposeToolFact ? tool : "[" + String.join(",", containers) + "]";
            f.out.put(fact.key(), v.getBytes(StandardCharsets.UTF_8));
        }
        return f;
    }

    Plan plan(Map<String, Object> raw, String files, String tool, String... containers) throws Exception {
        ComposePorts.ComposeArgs a = args(raw);
        return module.plan(a, facts(a, files, tool, containers), CTX);
    }

    static List<String> scripts(Plan p) {
        return p.steps().stream().map(Step::script).toList();
    }

    /** A check-mode context: a plan-time failure fails the check the same way. */
    static final PlanContext CHECK = new PlanContext() {
        public String host() { return "gpu-01"; }
        public boolean check() { return true; }
        public Path localPath(String path, String subdir) { return Path.of(path); }
        public String render(String template) { return template; }
        public Object eval(String expression) { return null; }
        public Map<String, Object> vars() { return Map.of(); }
    };

    @Test
    void aRunningContainerWhoseFileWasNotReadFailsInApplyAndCheckMode() throws Exception {
        ComposePorts.ComposeArgs a = args(Map.of("search", List.of("/opt")));
        FakeFacts f = facts(a, framed(FILE, EXPOSED), "plugin\t2.29.7\n",
                container("x-vllm-1", "x", "vllm", "/srv/x/vllm.yml", "/srv/x", true, "0.0.0.0", 8000),
                container("vllm-vllm-1", "vllm", "vllm", FILE, "/opt/vllm", true, "0.0.0.0", 8000));
        for (PlanContext ctx : List.of(CTX, CHECK)) {
            TaskException e = assertThrows(TaskException.class, () -> module.plan(a, f, ctx));
            assertEquals("compose_ports: x-vllm-1 still publishes 0.0.0.0:8000->8000/tcp and its compose file /srv/x/vllm.yml was not read:"
                    + " give it in files:", e.getMessage());
        }
    }

    @Test
    void portsOutOfScopeOrOnLoopbackOrOutsideComposeDoNotFail() throws Exception {
        Plan p = plan(Map.of("search", List.of("/opt"), "ports", List.of(11434)), framed(FILE, EXPOSED), "plugin\t2.29.7\n",
                container("x-vllm-1", "x", "vllm", "/srv/x/vllm.yml", "/srv/x", true, "0.0.0.0", 8000),
                container("y-vllm-1", "y", "vllm", "/srv/y/vllm.yml", "/srv/y", true, "127.0.0.1", 11434),
                container("hand-made", null, null, null, null, true, "0.0.0.0", 11434));
        assertEquals(List.of(), p.result().get("unfixed"));
        assertEquals(List.of("started outside compose: hand-made publishes 0.0.0.0:11434->11434/tcp"), p.result().get("outside_compose"));
        assertTrue(p.message().contains("started outside compose: hand-made"), p.message());
    }

    @Test
    void aFileReadThroughTheContainersLabelIsFixed() throws Exception {
        String file = "/srv/x/vllm.yml";
        Plan p = plan(Map.of("search", List.of("/opt")), framed(file, EXPOSED), "plugin\t2.29.7\n",
                container("x-vllm-1", "x", "vllm", file, "/srv/x", true, "0.0.0.0", 8000));
        assertEquals(3, p.steps().size());
        assertTrue(scripts(p).get(1).contains("cd /srv/x\ndocker compose -f /srv/x/vllm.yml -p x up -d"), scripts(p).get(1));
        assertEquals(List.of(), p.result().get("unfixed"));
    }

    @Test
    void depthDefaultsToFour() throws Exception {
        assertEquals(4, args(Map.of()).depth());
        assertEquals(2, args(Map.of("depth", 2)).depth());
        assertTrue(args(Map.of()).filesFact().script().contains("-maxdepth 4"));
    }

    @Test
    void v2RewritesRecreatesTheAffectedServiceAndVerifies() throws Exception {
        Plan p = plan(Map.of("paths", List.of(FILE)), framed(FILE, EXPOSED), "plugin\t2.29.7\n",
                container("vllm-vllm-1", "vllm", "vllm", FILE, "/opt/vllm", true, "0.0.0.0", 8000),
                container("vllm-worker-1", "vllm", "worker", FILE, "/opt/vllm", true, "", 0));
        assertEquals(3, p.steps().size(), p.steps().toString());
        String after = EXPOSED.replace("\"8000:8000\"", "\"127.0.0.1:8000:8000\"").replace("published: 8001\n", "published: 8001\n        host_ip: 127.0.0.1\n");
        assertEquals(after, new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8));
        assertTrue(scripts(p).get(1).contains("cd /opt/vllm\ndocker compose -f /opt/vllm/docker-compose.yml -p vllm up -d --no-deps --force-recreate vllm\n"),
                scripts(p).get(1));
        assertTrue(scripts(p).get(2).contains("docker inspect"));
        assertEquals(List.of(new Undo.RecreateCompose(FILE, List.of("vllm"), "vllm", "/opt/vllm", List.of(FILE), List.of()),
                new Undo.RestorePath(FILE)), p.undo(), "the undo recreates as the same project, from the same place and files");
        assertEquals(EXPOSED, p.diffs().get(0).before());
        assertEquals(after, p.diffs().get(0).after());
        assertEquals(List.of("vllm/vllm"), p.result().get("recreated"));
        assertTrue(p.touches().contains("file:" + FILE));
    }

    @Test
    void v1RewritesLongSyntaxToShortAndUsesDockerCompose() throws Exception {
        Plan p = plan(Map.of("paths", List.of(FILE)), framed(FILE, EXPOSED), "standalone\t1.29.2\n",
                container("vllm_vllm_1", "vllm", "vllm", FILE, "/opt/vllm", true, "0.0.0.0", 8000));
        String written = new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8);
        assertTrue(written.contains("      - \"127.0.0.1:8001:8001\"\n  worker:"), written);
        assertTrue(scripts(p).get(1).contains("docker-compose -f /opt/vllm/docker-compose.yml -p vllm up -d --no-deps --force-recreate vllm\n"));
    }

    @Test
    void projectNameAndFilesComeFromTheContainersLabels() throws Exception {
        String files = "/opt/vllm/docker-compose.yml,/opt/vllm/gpu.yml";
        Plan p = plan(Map.of("search", List.of("/opt")), framed(FILE, EXPOSED), "plugin\t2.29.7\n",
                container("inference-vllm-1", "inference", "vllm", files, "/opt/vllm", true, "0.0.0.0", 8000));
        assertTrue(scripts(p).get(1).contains("docker compose -f /opt/vllm/docker-compose.yml -f /opt/vllm/gpu.yml -p inference up -d"), scripts(p).get(1));
        List<?> warnings = (List<?>) p.result().get("warnings");
        assertTrue(warnings.toString().contains("/opt/vllm/gpu.yml, which was not read"), warnings.toString());
    }

    @Test
    void containersWithoutFileLabelsMatchByDirectoryName() throws Exception {
        String file = "/srv/My.App/compose.yaml";
        Plan p = plan(Map.of("paths", List.of(file)), framed(file, EXPOSED), "plugin\t2.29.7\n",
                container("myapp_vllm_1", "myapp", "vllm", null, null, true, "0.0.0.0", 8000),
                container("other_vllm_1", "other", "vllm", null, null, false, "0.0.0.0", 8000));
        assertTrue(scripts(p).get(1).contains("cd /srv/My.App\ndocker compose -f /srv/My.App/compose.yaml -p myapp up -d"), scripts(p).get(1));
        assertEquals(3, p.steps().size());
        assertTrue(p.result().get("unfixed").toString().contains("other_vllm_1 (project other, service vllm) publishes 0.0.0.0:8000->8000/tcp"));
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of("paths", List.of(file)), framed(file, EXPOSED), "plugin\t2.29.7\n",
                container("other_vllm_1", "other", "vllm", null, null, true, "0.0.0.0", 8000)));
        assertTrue(e.getMessage().contains("other_vllm_1 still publishes 0.0.0.0:8000->8000/tcp and no compose file of project other was read"),
                e.getMessage());
    }

    @Test
    void projectStartedThroughASymlinkedPathMatchesTheFileFound() throws Exception {
        String labels = container("vllm-vllm-1", "vllm", "vllm", "/data/vllm/docker-compose.yml", "/data/vllm", true, "0.0.0.0", 8000);
        String files = framed(FILE, EXPOSED);
        ComposePorts.ComposeArgs a = args(Map.of("search", List.of("/opt")));
        FakeFacts f = facts(a, files, "plugin\t2.29.7\n", labels);
        String withReal = "[" + labels + "]\n@@moat-realpaths\n/data/vllm\t/opt/vllm\n";
        f.out.put(new ContainersFact().key(), withReal.getBytes(StandardCharsets.UTF_8));
        Plan p = module.plan(a, f, CTX);
        assertEquals(3, p.steps().size(), p.result().toString());
        assertTrue(scripts(p).get(1).contains("cd /data/vllm\ndocker compose -f /data/vllm/docker-compose.yml -p vllm up -d"), scripts(p).get(1));
        assertEquals(List.of(), p.result().get("warnings"));
        // Without the resolved path it cannot be matched, and fails saying so.
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of("search", List.of("/opt")), files, "plugin\t2.29.7\n", labels));
        assertTrue(e.getMessage().contains("its compose file /data/vllm/docker-compose.yml was not read"), e.getMessage());
    }

    @Test
    void servicesNotRunningGetTheirFileFixedButAreNotStarted() throws Exception {
        Plan p = plan(Map.of("paths", List.of(FILE)), framed(FILE, EXPOSED), "plugin\t2.29.7\n");
        assertEquals(1, p.steps().size());
        assertEquals(List.of(FILE + ": vllm"), p.result().get("not_running"));
        assertTrue(p.message().contains("not running, file fixed only: " + FILE + ": vllm"), p.message());
        assertEquals(List.of(new Undo.RestorePath(FILE)), p.undo());
    }

    @Test
    void anchoredListSharedByARunningAndAStoppedService() throws Exception {
        String file = "/srv/gpu/compose.yaml";
        String text = "x-ports: &p\n  - \"8000:8000\"\nservices:\n  a:\n    ports: *p\n  b:\n    ports: *p\n  c:\n    image: x\n";
        Plan p = plan(Map.of("paths", List.of(file)), framed(file, text), "plugin\t2.29.7\n",
                container("gpu-a-1", "gpu", "a", file, "/srv/gpu", true, "0.0.0.0", 8000),
                container("gpu-c-1", "gpu", "c", file, "/srv/gpu", true, "", 0));
        assertEquals(3, p.steps().size());
        assertTrue(scripts(p).get(1).endsWith("up -d --no-deps --force-recreate a\n"), scripts(p).get(1));
        assertEquals(List.of(file + ": b"), p.result().get("not_running"));
        assertTrue(p.result().get("changes").toString().contains("line 2: \"8000:8000\" -> \"127.0.0.1:8000:8000\" (a, b)"),
                p.result().get("changes").toString());
    }

    @Test
    void stoppedContainersAreRecreatedWithoutStarting() throws Exception {
        Plan p = plan(Map.of("paths", List.of(FILE)), framed(FILE, EXPOSED), "plugin\t2.29.7\n",
                container("vllm-vllm-1", "vllm", "vllm", FILE, "/opt/vllm", false, "0.0.0.0", 8000));
        assertTrue(scripts(p).get(1).contains("up --no-start --no-deps --force-recreate vllm"), scripts(p).get(1));
        assertTrue(!scripts(p).get(1).contains("up -d"));
    }

    @Test
    void containersStartedOutsideComposeAreReported() throws Exception {
        Plan p = plan(Map.of("paths", List.of(FILE)), framed(FILE, EXPOSED.replace("\"8000:8000\"", "\"127.0.0.1:8000:8000\"")
                .replace("published: 8001\n", "published: 8001\n        host_ip: 127.0.0.1\n")), "plugin\t2.29.7\n",
                container("ollama", null, null, null, null, true, "0.0.0.0", 11434),
                container("local", null, null, null, null, true, "127.0.0.1", 5000));
        assertEquals(0, p.steps().size(), "nothing to change");
        assertEquals(List.of("started outside compose: ollama publishes 0.0.0.0:11434->11434/tcp"), p.result().get("outside_compose"));
        assertTrue(p.message().contains("started outside compose: ollama"));
    }

    @Test
    void convergedHostPlansNothing() throws Exception {
        String fixed = EXPOSED.replace("\"8000:8000\"", "\"127.0.0.1:8000:8000\"").replace("published: 8001\n", "published: 8001\n        host_ip: 127.0.0.1\n");
        Plan p = plan(Map.of("paths", List.of(FILE)), framed(FILE, fixed), "plugin\t2.29.7\n",
                container("vllm-vllm-1", "vllm", "vllm", FILE, "/opt/vllm", true, "127.0.0.1", 8000));
        assertEquals(List.of(), p.steps());
        assertEquals(List.of(), p.diffs());
    }

    @Test
    void planningTheWrittenFileAgainChangesNothing() throws Exception {
        for (String tool : List.of("plugin\t2.29.7\n", "standalone\t1.29.2\n")) {
            Plan first = plan(Map.of("paths", List.of(FILE)), framed(FILE, EXPOSED), tool);
            String written = new String(first.steps().get(0).stdin(), StandardCharsets.UTF_8);
            Plan again = plan(Map.of("paths", List.of(FILE)), framed(FILE, written), tool,
                    container("vllm-vllm-1", "vllm", "vllm", FILE, "/opt/vllm", true, "127.0.0.1", 8000));
            assertEquals(List.of(), again.steps(), tool);
        }
    }

    @Test
    void containersLaggingBehindTheirFileAreRecreated() throws Exception {
        String fixed = EXPOSED.replace("\"8000:8000\"", "\"127.0.0.1:8000:8000\"").replace("published: 8001\n", "published: 8001\n        host_ip: 127.0.0.1\n");
        Plan p = plan(Map.of("paths", List.of(FILE)), framed(FILE, fixed), "plugin\t2.29.7\n",
                container("vllm-vllm-1", "vllm", "vllm", FILE, "/opt/vllm", true, "0.0.0.0", 8000));
        assertEquals(2, p.steps().size());
        assertTrue(p.undo().get(0) instanceof Undo.Irreversible);
        assertTrue(p.diffs().get(0).before().contains("vllm-vllm-1 publishes [0.0.0.0:8000->8000/tcp]"), p.diffs().get(0).before());
    }

    @Test
    void portsFilterAndRecreateFalse() throws Exception {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("paths", List.of(FILE));
        raw.put("ports", List.of(8001));
        raw.put("recreate", false);
        Plan p = plan(raw, framed(FILE, EXPOSED), "plugin\t2.29.7\n",
                container("vllm-vllm-1", "vllm", "vllm", FILE, "/opt/vllm", true, "0.0.0.0", 8000));
        assertEquals(1, p.steps().size());
        String written = new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8);
        assertTrue(written.contains("- \"8000:8000\"") && written.contains("host_ip: 127.0.0.1"), written);
        assertTrue(p.result().get("not_running").toString().contains("recreate: false"));
    }

    @Test
    void noComposeCommandButServicesToRecreateFails() {
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of("paths", List.of(FILE)), framed(FILE, EXPOSED), "",
                container("vllm-vllm-1", "vllm", "vllm", FILE, "/opt/vllm", true, "0.0.0.0", 8000)));
        assertTrue(e.getMessage().contains("neither 'docker compose' nor 'docker-compose'"));
    }

    @Test
    void ipv6Bind() throws Exception {
        Plan p = plan(Map.of("paths", List.of(FILE), "bind", "[::1]"), framed(FILE, EXPOSED), "plugin\t2.29.7\n");
        String written = new String(p.steps().get(0).stdin(), StandardCharsets.UTF_8);
        assertTrue(written.contains("- \"[::1]:8000:8000\"") && written.contains("host_ip: \"::1\""), written);
    }

    @Test
    void brokenFilesAreWarnedNotFatal() throws Exception {
        String other = "/opt/broken/compose.yaml";
        Plan p = plan(Map.of("search", List.of("/opt")), framed(other, "services: [unclosed\n") + framed(FILE, EXPOSED), "plugin\t2.29.7\n");
        assertEquals(1, p.steps().size());
        assertTrue(p.result().get("warnings").toString().contains(other + ":2:1: not valid YAML"), p.result().get("warnings").toString());
    }

    @Test
    void argumentsAreValidated() throws Exception {
        for (String bad : List.of("0.0.0.0", "::", "localhost", "1.2.3.4.5")) {
            ArgException e = assertThrows(ArgException.class, () -> args(Map.of("bind", bad)), bad);
            assertEquals("bind", e.arg());
        }
        assertEquals("paths", assertThrows(ArgException.class, () -> args(Map.of("paths", List.of("opt/x.yml")))).arg());
        assertEquals("ports", assertThrows(ArgException.class, () -> args(Map.of("ports", List.of("http")))).arg());
        assertThrows(ArgException.class, () -> args(Map.of("compose", "v3")));
        ComposePorts.ComposeArgs d = args(Map.of());
        assertEquals(List.of("/opt", "/srv", "/home", "/root"), d.search());
        assertEquals("127.0.0.1", d.bind());
        assertTrue(d.recreate());
        assertEquals("::1", args(Map.of("bind", "[::1]")).bind());
        assertEquals(List.of("/opt/a"), args(Map.of("search", "/opt/a/")).search());
    }

    @Test
    void readsAreTheThreeFactsAndExtraFilesAreRead() throws Exception {
        ComposePorts.ComposeArgs a = args(Map.of("search", List.of("/opt"), "files", List.of("/opt/vllm/gpu.yml")));
        List<Fact<?>> reads = module.reads(a);
        assertEquals(3, reads.size());
        assertTrue(reads.get(0).script().contains("moat_emit /opt/vllm/gpu.yml given"));
        assertTrue(reads.get(1) instanceof ContainersFact);
    }

    @Test
    void variablesNestedTooDeepFailTheTaskNamingFileAndLineNotTheRun() throws Exception {
        // A host's compose file with 20,000 nested defaults in one port: no StackOverflowError, the task fails.
        String text = java.nio.file.Files.readString(Path.of("src/test/resources/bad/compose-deep-defaults.yml"));
        TaskException e = assertThrows(TaskException.class, () -> plan(Map.of("search", List.of("/opt")), framed(FILE, text),
                "plugin\t2.29.7\n", container("vllm-vllm-1", "vllm", "vllm", FILE, "/opt/vllm", true, "0.0.0.0", 8000)));
        assertEquals("compose_ports: " + FILE + ":6: variable defaults nested more than 32 levels deep; moat reads no deeper", e.getMessage());
    }
}
