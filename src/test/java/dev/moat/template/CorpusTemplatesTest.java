package dev.moat.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.moat.yaml.Node;
import dev.moat.yaml.YamlLoader;

/**
 * The load-time checker accepts every Jinja template and condition of the public roles in
 * {@code ../shared/corpus} (their tasks, handlers, defaults, vars and template files): Python methods
 * such as {@code .keys()} and {@code .split()}, Ansible's tests ({@code version_compare},
 * {@code match}), {@code x | f is t}, escapes in string literals.
 */
class CorpusTemplatesTest {
    private static final Path CORPUS = corpus();
    private static final List<String> CONDITIONS = List.of("when", "changed_when", "failed_when", "until");

    /** {@code ../shared/corpus} from the project (or from a worktree one level deeper). */
    private static Path corpus() {
        Path near = Path.of("../shared/corpus").toAbsolutePath().normalize();
        return Files.isDirectory(near) ? near : Path.of("../../shared/corpus").toAbsolutePath().normalize();
    }

    @Test
    void everyTemplateAndConditionOfTheCorpusPassesTheLoadTimeCheck() throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "no corpus at " + CORPUS + ": skipped");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(CORPUS)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                try {
                    if (name.endsWith(".j2")) {
                        Templar.checkTemplate(Files.readString(f));
                        checked++;
                    } else if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                        Node n = YamlLoader.parse(Files.readString(f), f);
                        if (n != null) checked += walk(n.toPlain(), null, f, problems);
                    }
                } catch (TemplateException e) {
                    problems.add(CORPUS.relativize(f) + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), problems, checked + " templates and conditions checked");
    }

    private static int walk(Object v, String key, Path f, List<String> problems) {
        int n = 0;
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) n += walk(e.getValue(), String.valueOf(e.getKey()), f, problems);
        } else if (v instanceof List<?> l) {
            for (Object o : l) n += walk(o, key, f, problems);
        } else if (v instanceof String s) {
            try {
                if (CONDITIONS.contains(key)) {
                    Templar.checkExpression(s);
                    n++;
                } else if (Templar.isTemplate(s)) {
                    Templar.checkTemplate(s);
                    n++;
                }
            } catch (TemplateException e) {
                problems.add(CORPUS.relativize(f) + ": " + key + ": " + s.strip() + ": " + e.getMessage());
            }
        }
        return n;
    }
}
