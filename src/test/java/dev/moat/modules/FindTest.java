package dev.moat.modules;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.moat.module.ArgException;
import dev.moat.module.TaskException;

/** {@code find}'s arguments, globs and its bound on entries, from fixtures. */
class FindTest {
    private final Find find = new Find();

    @Test
    void globsAreFnmatch() {
        assertTrue(Pattern.compile(Find.glob("*.tar.gz")).matcher("a.tar.gz").lookingAt());
        assertFalse(Pattern.compile(Find.glob("*.tar")).matcher("a.tar.gz").lookingAt(), "a glob matches the whole name");
        assertTrue(Pattern.compile(Find.glob("[!a]?")).matcher("bc").lookingAt());
        assertFalse(Pattern.compile(Find.glob("[!a]?")).matcher("ac").lookingAt());
        assertTrue(Pattern.compile(Find.glob("a+(b)")).matcher("a+(b)").lookingAt(), "regex characters are literal");
        assertTrue(Pattern.compile(Find.glob("[")).matcher("[").lookingAt(), "an unclosed bracket is literal");
    }

    @Test
    void argumentsAreChecked() {
        assertEquals("age", assertThrows(ArgException.class, () -> LocalHost.bind(find, Map.of("paths", "/x", "age", "2 days"))).arg());
        assertEquals("size", assertThrows(ArgException.class, () -> LocalHost.bind(find, Map.of("paths", "/x", "size", "1q"))).arg());
        assertEquals("paths", assertThrows(ArgException.class, () -> LocalHost.bind(find, Map.of("paths", "relative"))).arg());
        assertEquals("patterns", assertThrows(ArgException.class,
                () -> LocalHost.bind(find, Map.of("paths", "/x", "patterns", "(", "use_regex", true))).arg());
    }

    @Test
    void tooManyEntriesFailClearly() throws Exception {
        Find.FindArgs a = LocalHost.bind(find, Map.of("paths", List.of("/usr"), "recurse", true));
        FakeFacts f = new FakeFacts().put(Find.read(a, "/usr").key(), "N1700000000.5\0T\0");
        TaskException e = assertThrows(TaskException.class, () -> find.plan(a, f, FakeContext.apply()));
        assertEquals("find: more than 20000 entries under /usr; narrow it (other paths, recurse: false or a depth)", e.getMessage());
        assertTrue(Find.read(a, "/usr").script().contains("head -c 20001"), "the read counts before it lists");
    }

    @Test
    void oneReadPerPathKeyedByPath() throws Exception {
        Find.FindArgs a = LocalHost.bind(find, Map.of("paths", List.of("/etc", "/srv"), "contains", "x"));
        assertEquals(2, find.reads(a).size());
        assertTrue(find.reads(a).get(1).key().endsWith(":/srv"));
        Find.FindArgs b = LocalHost.bind(find, Map.of("paths", List.of("/etc"), "contains", "y"));
        assertNotEquals(find.reads(a).get(0).key(), find.reads(b).get(0).key(), "other options, another read");
    }
}
