package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A playbook under {@code src/test/resources/loops/} run by moat and compared with Ansible 2.14's
 * answers for it ({@code NAME.expected}, written by {@code record.sh}): the message of every debug
 * task, in order, as {@code name<TAB>msg as JSON}.
 */
final class RecordedPlay {
    private static final Path DIR = Path.of("src/test/resources/loops");

    private RecordedPlay() {}

    /** Copies the playbook and its files into {@code tmp}, runs it on one host, and compares. */
    static LocalRun runAndCompare(Path tmp, String name, boolean check) throws Exception {
        copy(DIR, tmp);
        LocalRun run = new LocalRun(tmp);
        if (check) run.options = new RunOptions(true, true, 10, null, null, null, false);
        run.run(Files.readString(DIR.resolve(name + ".yml")), "localhost");
        ObjectMapper json = new ObjectMapper();
        List<String> got = new ArrayList<>();
        for (TaskResult r : run.results) {
            if (!"debug".equals(r.module()) || !r.items().isEmpty() || r.message() == null || r.status() == Status.SKIPPED) continue;
            got.add(r.task() + "\t" + json.writeValueAsString(r.message()));
        }
        List<String> expected = Files.readAllLines(DIR.resolve(name + ".expected"));
        List<String> failed = run.results.stream().filter(TaskResult::fatal).map(r -> r.task() + ": " + r.message()).toList();
        assertEquals(String.join("\n", expected), String.join("\n", got), "moat's answers differ from Ansible's for " + name + ".yml; failed: " + failed);
        return run;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(d);
                else Files.copy(p, d);
            }
        }
    }
}
