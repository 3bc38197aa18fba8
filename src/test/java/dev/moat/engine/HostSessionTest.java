package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;

class HostSessionTest {
    record Cat(Path file) implements Fact<String> {
        public String key() { return "file:" + file; }
        public String script() { return "cat '" + file + "'"; }
        public String parse(FactOutput out) { return out.rc() == 0 ? out.text() : null; }
    }

    @Test
    void readsOnceAndAgainOnlyWhatATaskTouched(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        Files.writeString(a, "1");
        Files.writeString(b, "2");
        LocalTransport t = new LocalTransport("local");
        HostSession s = new HostSession(t);
        Cat fa = new Cat(a), fb = new Cat(b);
        s.read(List.of(fa, fb, fa), false);
        assertEquals(1, s.roundTrips());
        assertEquals("1", s.facts().get(fa));
        s.read(List.of(fa, fb), false);
        assertEquals(1, s.roundTrips(), "cached facts are not read again");

        Files.writeString(a, "changed");
        s.touched(Set.of(fa.key()));
        s.read(List.of(fa, fb), false);
        assertEquals(2, s.roundTrips());
        assertEquals("changed", s.facts().get(fa));
        assertTrue(t.scripts.get(1).contains("/a'") && !t.scripts.get(1).contains("/b'"), "only the stale fact is re-read");
    }

    @Test
    void aCommandMakesEverythingStale(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Files.writeString(a, "1");
        HostSession s = new HostSession(new LocalTransport("local"));
        Cat fa = new Cat(a);
        s.read(List.of(fa), false);
        Files.writeString(a, "2");
        s.touched(Set.of("*"));
        s.read(List.of(fa), false);
        assertEquals("2", s.facts().get(fa));
    }
}
