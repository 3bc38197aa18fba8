package dev.moat;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The package layers of CONTRIBUTING.md, checked on the sources: a package may use its own layer
 * and the layers below, never one above, and no two packages use each other. A subpackage
 * ({@code template.internal}, {@code transport.ssh}, {@code modules.ufw}) counts as its parent.
 */
class ArchitectureTest {
    /** Bottom first. */
    static final List<Set<String>> LAYERS = List.of(
            Set.of("", "journal", "transport", "vault"),
            Set.of("config", "inventory", "yaml"),
            Set.of("module", "playbook", "template"),
            Set.of("engine"),
            Set.of("compose", "facts"),
            Set.of("scan", "modules", "repl", "runs"),
            Set.of("cli"));

    private static final Path SOURCES = Path.of("src/main/java/dev/moat");
    private static final Pattern USE = Pattern.compile("\\bdev\\.moat\\.((?:[a-z]\\w*\\.)*)[A-Z]");

    @Test
    void noPackageUsesALayerAboveIt() throws IOException {
        List<String> upward = new ArrayList<>();
        graph().forEach((from, tos) -> {
            for (String to : tos) {
                if (layer(to) > layer(from)) upward.add(name(from) + " -> " + name(to));
            }
        });
        assertEquals(List.of(), upward, "imports up the layers");
    }

    @Test
    void noTwoPackagesUseEachOther() throws IOException {
        Map<String, Set<String>> g = graph();
        List<String> twoWay = new ArrayList<>();
        g.forEach((from, tos) -> {
            for (String to : tos) {
                if (from.compareTo(to) < 0 && g.getOrDefault(to, Set.of()).contains(from)) {
                    twoWay.add(name(from) + " <-> " + name(to));
                }
            }
        });
        assertEquals(List.of(), twoWay, "two-way package dependencies");
    }

    @Test
    void everyPackageHasALayer() throws IOException {
        for (String p : graph().keySet()) assertTrue(layer(p) >= 0, "package dev.moat." + p + " is in no layer");
    }

    /** Top-level package (relative to dev.moat) -> the top-level packages its sources name. */
    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> g = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String from = top(SOURCES.relativize(f.getParent() == null ? f : f.getParent()).toString().replace('/', '.'));
                Set<String> tos = g.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = USE.matcher(Files.readString(f));
                while (m.find()) {
                    String to = top(m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1));
                    if (!to.equals(from)) tos.add(to);
                }
            }
        }
        return g;
    }

    private static String top(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    private static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) if (LAYERS.get(i).contains(pkg)) return i;
        return -1;
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? "dev.moat" : pkg;
    }
}
