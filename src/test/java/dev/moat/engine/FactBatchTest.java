package dev.moat.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;

class FactBatchTest {
    record Raw(String key, String script) implements Fact<String> {
        @Override
        public String parse(FactOutput out) {
            return out.text();
        }
    }

    private static byte[] runSh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes()));
        return out;
    }

    @Test
    void framesArbitraryOutputExactly() throws Exception {
        List<Raw> facts = List.of(
                new Raw("a", "printf 'no newline'"),
                new Raw("b", "printf '@@moat 9 9 9 9\\n\\000\\001'; echo err >&2; exit 3"),
                new Raw("c", "cat"),  // stdin is closed: must not hang or read the script
                new Raw("d", "printf ''"));
        Map<String, FactOutput> out = FactBatch.parse(facts, runSh(FactBatch.script(facts)));
        assertEquals("no newline", out.get("a").text());
        assertEquals(0, out.get("a").rc());
        assertArrayEquals("@@moat 9 9 9 9\n\0\1".getBytes(StandardCharsets.ISO_8859_1), out.get("b").stdout());
        assertEquals("err\n", out.get("b").errText());
        assertEquals(3, out.get("b").rc());
        assertEquals("", out.get("c").text());
        assertEquals(0, out.get("d").stdout().length);
    }

    @Test
    void aFactThatExitsDoesNotEndTheBatch() throws Exception {
        List<Raw> facts = List.of(new Raw("x", "exit 5"), new Raw("y", "echo after"));
        Map<String, FactOutput> out = FactBatch.parse(facts, runSh(FactBatch.script(facts)));
        assertEquals(5, out.get("x").rc());
        assertEquals("after\n", out.get("y").text());
    }

    @Test
    void truncatedOutputIsAnError() {
        List<Raw> facts = List.of(new Raw("x", "true"));
        assertThrows(TaskException.class, () -> FactBatch.parse(facts, "@@moat 1\n0\n10 /t/0o\n0 /t/0e\n10 total\nabc".getBytes()));
        assertThrows(TaskException.class, () -> FactBatch.parse(facts, "@@moat 1\n0\n3 /t/0o\n".getBytes()));
        assertThrows(TaskException.class, () -> FactBatch.parse(facts, "@@moat 2\n0 0\n".getBytes()));
        assertThrows(TaskException.class, () -> FactBatch.parse(facts, "garbage\n".getBytes()));
        assertThrows(TaskException.class, () -> FactBatch.parse(facts, new byte[0]));
    }

    @Test
    void spawnsOneProcessPerFactAndThreePerBatch() throws Exception {
        // The framing's own cost on the host: a subshell per fact, then mktemp, wc and cat once.
        String script = FactBatch.script(List.of(new Raw("a", "true"), new Raw("b", "true"), new Raw("c", "true")));
        assertEquals(1, script.split("\nwc -c ", -1).length - 1, script);
        assertEquals(1, script.split("\ncat ", -1).length - 1, script);
        assertFalse(script.contains("$(wc"), script);
        Map<String, FactOutput> out = FactBatch.parse(List.of(new Raw("a", "true")), runSh(FactBatch.script(List.of(new Raw("a", "echo x")))));
        assertEquals("x\n", out.get("a").text());
    }

    @Test
    void distinctKeepsFirstByKey() {
        List<Fact<?>> d = FactBatch.distinct(List.of(new Raw("a", "1"), new Raw("b", "2"), new Raw("a", "3")));
        assertEquals(2, d.size());
        assertEquals("1", ((Raw) d.get(0)).script());
    }
}
