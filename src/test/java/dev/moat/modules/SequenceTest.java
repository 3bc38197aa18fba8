package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.Fact;
import dev.moat.module.FactKeys;
import dev.moat.module.FactOutput;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;

/**
 * A play of core modules run the way the engine will: every task's reads batched up front, plans in
 * order, steps executed, facts touched by a change read again. A rerun needs only the first batch.
 */
class SequenceTest {
    @TempDir
    Path dir;

    private record Task(Module<Object> module, Object args) {}

    @SuppressWarnings("unchecked")
    private static Task task(Module<?> m, Map<String, ?> raw) throws Exception {
        Module<Object> mod = (Module<Object>) m;
        return new Task(mod, LocalHost.bind(mod, raw));
    }

    /** Runs the play; returns how many tasks changed and counts the re-reads in {@code rereads}. */
    private static int run(List<Task> tasks, int[] rereads) throws Exception {
        Map<String, Fact<?>> declared = new LinkedHashMap<>();
        for (Task t : tasks) for (Fact<?> f : t.module().reads(t.args())) declared.putIfAbsent(f.key(), f);
        Map<String, FactOutput> read = new HashMap<>();
        for (Fact<?> f : declared.values()) read.put(f.key(), LocalHost.read(f));
        int changed = 0;
        for (Task t : tasks) {
            for (Fact<?> f : t.module().reads(t.args())) {
                if (!read.containsKey(f.key())) {
                    read.put(f.key(), LocalHost.read(f));
                    rereads[0]++;
                }
            }
            Facts facts = new Facts() {
                @Override
                public <T> T get(Fact<T> fact) throws TaskException {
                    return fact.parse(read.get(fact.key()));
                }
            };
            Plan p = t.module().plan(t.args(), facts, FakeContext.apply());
            if (!p.changes()) continue;
            changed++;
            FactOutput failed = LocalHost.execute(p);
            assertNull(failed, () -> "step failed: " + failed.errText());
            for (String touched : p.touches()) read.keySet().removeIf(k -> FactKeys.invalidates(touched, k));
        }
        return changed;
    }

    @Test
    void aPlayConvergesThenRerunsInOneBatch() throws Exception {
        String app = dir.resolve("opt/app").toString();
        List<Task> play = new ArrayList<>(List.of(
                task(new File(), Map.of("path", app + "/conf.d", "state", "directory", "mode", "0750")),
                task(new Copy(), Map.of("dest", app + "/conf.d/main.conf", "content", "port=8000\n")),
                task(new LineInFile(), Map.of("path", app + "/conf.d/env", "regexp", "^BIND=", "line", "BIND=127.0.0.1", "create", true)),
                task(new File(), Map.of("path", app + "/conf.d/main.conf", "mode", "0600")),
                task(Command.shell(), Map.of("cmd", "echo started > started", "chdir", app, "creates", "started")),
                task(new File(), Map.of("path", app + "/current", "state", "link", "src", "conf.d"))));
        int[] rereads = {0};
        assertEquals(6, run(play, rereads));
        assertTrue(rereads[0] > 0, "later tasks re-read what earlier ones changed");
        assertEquals("port=8000\n", Files.readString(Path.of(app, "conf.d/main.conf")));
        assertEquals("BIND=127.0.0.1\n", Files.readString(Path.of(app, "conf.d/env")));
        int[] again = {0};
        assertEquals(0, run(play, again), "rerun: nothing to change");
        assertEquals(0, again[0], "rerun: one batch of reads, no re-reads");
    }
}
