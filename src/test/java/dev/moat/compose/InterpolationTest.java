package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterpolationTest {
    static final Map<String, String> ENV = Map.of("A", "1", "E", "", "P", "8000");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "$A|1", "${A}|1", "x${A}y|x1y", "${A:-d}|1", "${E:-d}|d", "${E-d}|''", "${N-d}|d", "${N:-d}|d",
        "${N}|''", "$N|''", "$$|$", "$${A}|${A}", "${A:+r}|r", "${E:+r}|''", "${E+r}|r", "${N+r}|''",
        "${N:-${P}}|8000", "${N:-${M:-9}}|9", "${P}:${P}|8000:8000", "no vars|no vars", "$A_B|''", "${A?x}|1",
    })
    void interpolates(String in, String out) throws Exception {
        assertEquals(out, new Interpolation(ENV).apply(in));
    }

    @Test
    void errors() {
        for (String bad : List.of("${N:?need N}", "${E:?}", "${N?}", "$", "${", "${A", "$-", "${1}", "${A!x}")) {
            assertThrows(PortSyntaxException.class, () -> new Interpolation(ENV).apply(bad), bad);
        }
    }

    @Test
    void defaultsNestUpToTheCapAndNoDeeper() throws Exception {
        assertEquals("9", new Interpolation(ENV).apply("${N:-".repeat(Interpolation.MAX_DEPTH - 1) + "9" + "}".repeat(Interpolation.MAX_DEPTH - 1)));
        String deep = "${N:-".repeat(100_000) + "9" + "}".repeat(100_000);
        assertThrows(TooDeepException.class, () -> new Interpolation(ENV).apply(deep));
        Interpolation i = new Interpolation(ENV);
        assertThrows(TooDeepException.class, () -> i.apply(deep));
        assertEquals("1", i.apply("${N:-${A}}"), "a refusal leaves the interpolation usable");
    }

    @Test
    void collectsMissingNames() throws Exception {
        Interpolation i = new Interpolation(ENV);
        i.apply("${X}:${Y:-1}:$Z");
        assertEquals(List.of("X", "Z"), List.copyOf(i.missing()));
    }

    @Test
    void readsEnvFiles() {
        Map<String, String> m = Interpolation.parseEnvFile("# c\nA=1\r\nexport B = two \nC=\"q # not a comment\"\nD='x'\nE=v # c\nbad line\n\n=x\n");
        assertEquals(Map.of("A", "1", "B", "two", "C", "q # not a comment", "D", "x", "E", "v"), m);
    }
}
