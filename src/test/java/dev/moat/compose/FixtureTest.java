package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Whole compose files under src/test/resources/compose, rewritten for v1 and v2. For each: the
 * output equals the reviewed golden file; every changed char lies inside a port entry; re-reading
 * the output gives the same ports, published on the bind address where they were exposed and
 * untouched where they were not; a second run changes nothing; and where Debian's docker-compose
 * 1.29 is installed, it accepts the v1 output ({@code config -q}, no daemon needed).
 */
class FixtureTest {
    static final Path DIR = Path.of("src/test/resources/compose");
    static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");

    static Stream<Arguments> fixtures() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path p : files.sorted().toList()) {
                String n = p.getFileName().toString();
                if (!n.endsWith(".yml")) continue;
                out.add(Arguments.of(n, Flavour.V2));
                if (!n.contains(".v2only.")) out.add(Arguments.of(n, Flavour.V1));
            }
        }
        return out.stream();
    }

    static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    static Map<String, String> env(String name) throws IOException {
        Path e = DIR.resolve(name.replace(".yml", ".env"));
        return Files.exists(e) ? Interpolation.parseEnvFile(read(e)) : Map.of();
    }

    @ParameterizedTest(name = "{0} for {1}")
    @MethodSource("fixtures")
    void rewritesOnlyPortEntriesAndKeepsMeaning(String name, Flavour flavour) throws Exception {
        String before = read(DIR.resolve(name));
        Map<String, String> env = env(name);
        Rewriter rw = new Rewriter("127.0.0.1", PortFilter.ALL, flavour);
        ComposeDocument doc = ComposeDocument.parse(name, before);
        FileRewrite r = rw.rewrite(doc, env);
        assertTrue(r.warnings().stream().allMatch(w -> w.contains("variables not set")), r.warnings().toString());

        Path golden = DIR.resolve("expected").resolve(name.replace(".yml", "." + flavour.name().toLowerCase() + ".yml"));
        if (Boolean.getBoolean("compose.golden.write")) Files.writeString(golden, r.after());
        assertEquals(read(golden), r.after(), "golden " + golden);

        // Every changed char lies inside a port entry of the original.
        List<int[]> allowed = new ArrayList<>();
        for (PortEntry e : doc.entries()) allowed.add(range(doc, e));
        for (TextDiff.Range c : TextDiff.changes(before, r.after())) {
            boolean inside = allowed.stream().anyMatch(a -> a[0] <= c.start() && c.end() <= a[1]);
            if (!inside && c.start() == c.end()) {
                // A pure insertion can slide over text equal to its own ends; any such place will do.
                String t = c.replacedBy();
                for (int k = 1; k <= t.length() && c.start() - k >= 0 && !inside; k++) {
                    if (before.charAt(c.start() - k) != t.charAt(t.length() - k)) break;
                    int at = c.start() - k;
                    inside = allowed.stream().anyMatch(a -> a[0] <= at && at <= a[1]);
                }
                for (int k = 0; k < t.length() && c.start() + k < before.length() && !inside; k++) {
                    if (before.charAt(c.start() + k) != t.charAt(k)) break;
                    int at = c.start() + k + 1;
                    inside = allowed.stream().anyMatch(a -> a[0] <= at && at <= a[1]);
                }
            }
            assertTrue(inside, "change outside port entries at " + c.start() + ".." + c.end() + ": '"
                    + before.substring(c.start(), c.end()) + "' -> '" + c.replacedBy() + "'");
        }

        // Same ports, now on loopback where they were exposed.
        ComposeDocument out = ComposeDocument.parse(name, r.after());
        assertEquals(doc.entries().size(), out.entries().size());
        Interpolation interp = new Interpolation(env);
        for (int i = 0; i < doc.entries().size(); i++) {
            PortSpec a = doc.entries().get(i).effective(interp);
            PortSpec b = out.entries().get(i).effective(interp);
            assertEquals(doc.entries().get(i).services(), out.entries().get(i).services());
            assertEquals(a.host(), b.host(), name + " entry " + i);
            assertEquals(a.container(), b.container(), name + " entry " + i);
            assertEquals(a.protocol() == null ? "tcp" : a.protocol(), b.protocol() == null ? "tcp" : b.protocol());
            assertTrue(b.loopback(), name + " entry " + i + " still exposed: " + b.toShort());
            if (a.loopback()) assertEquals(a.hostIp(), b.hostIp());
            else assertEquals("127.0.0.1", b.hostIp());
        }
        assertEquals(r.after().endsWith("\n"), before.endsWith("\n"));
        assertEquals(before.contains("\r\n"), r.after().contains("\r\n"));
        if (before.contains("\r\n")) assertFalse(r.after().replace("\r\n", "").contains("\n"), "mixed line endings");

        // Idempotent.
        FileRewrite again = rw.rewrite(out, env);
        assertEquals(r.after(), again.after());
        assertTrue(again.changes().isEmpty());
    }

    static Stream<Arguments> v1Fixtures() throws IOException {
        return fixtures().filter(a -> a.get()[1] == Flavour.V1);
    }

    @ParameterizedTest(name = "docker-compose 1.29 accepts the v1 output of {0}")
    @MethodSource("v1Fixtures")
    void dockerComposeV1AcceptsTheOutput(String name, Flavour flavour, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(DOCKER_COMPOSE), "needs /usr/bin/docker-compose");
        String after = read(DIR.resolve("expected").resolve(name.replace(".yml", ".v1.yml")));
        Path f = tmp.resolve("docker-compose.yml");
        Files.writeString(f, after);
        Path e = DIR.resolve(name.replace(".yml", ".env"));
        if (Files.exists(e)) Files.copy(e, tmp.resolve(".env"));
        Process p = new ProcessBuilder(DOCKER_COMPOSE.toString(), "-f", f.toString(), "config")
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        // v1's own reading publishes every port on loopback.
        for (String line : output.split("\n")) {
            String t = line.strip();
            if (t.matches("- (\\[?[0-9a-f.:]*\\]?:)?[0-9-]*:?[0-9-]+(/\\w+)?")) {
                assertTrue(t.startsWith("- 127.") || t.startsWith("- ::1:") || t.startsWith("- '::1"), "v1 reads " + t);
            }
            assertFalse(t.startsWith("published:") || t.startsWith("- published:"), "v1 still has a long entry with no address: " + t);
        }
    }

    /** The chars an entry owns: a scalar's text; a mapping's keys and values up to the end of its last line. */
    static int[] range(ComposeDocument doc, PortEntry e) {
        int start = doc.contentStart(e.node());
        if (!(e.node() instanceof MappingNode m)) return new int[] {start, doc.end(e.node())};
        if (m.getFlowStyle() == FlowStyle.FLOW) return new int[] {start, doc.end(m)};
        int end = start;
        for (NodeTuple t : m.getValue()) end = Math.max(end, doc.end(t.getValueNode()));
        String text = doc.text();
        while (end < text.length() && text.charAt(end) != '\n') end++;
        return new int[] {start, Math.min(end + 1, text.length())};
    }
}
