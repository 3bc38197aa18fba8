package dev.moat.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixture test's diff helper must find every changed place, or its containment check proves nothing. */
class TextDiffTest {
    @Test
    void findsEachChangedRunOfTheOriginal() {
        String a = "# c\nports:\n  - \"8000:8000\"\n  - x\n";
        String b = "# C\nports:\n  - \"127.0.0.1:8000:8000\"\n  - x\n  - y\n";
        assertEquals(List.of(new TextDiff.Range(2, 3, "C"), new TextDiff.Range(16, 16, "127.0.0.1:"), new TextDiff.Range(33, 33, "  - y\n")),
                TextDiff.changes(a, b));
        assertEquals(List.of(), TextDiff.changes(a, a));
    }
}
