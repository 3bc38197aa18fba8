package dev.moat.module;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DiffTest {
    @Test
    void aTextOverTheCapIsReplacedOnBothSidesBySizes() {
        String big = "x".repeat(2 * 1024 * 1024) + "\n";
        Diff d = Diff.file("/etc/big", "small\n", big);
        assertEquals("(diff omitted: 6 bytes, over the 1 MiB moat shows)\n", d.before());
        assertEquals("(diff omitted: 2097153 bytes, over the 1 MiB moat shows)\n", d.after());
        Diff fine = Diff.file("/etc/f", "a\n", "\u00e9".repeat(400_000));
        assertEquals("\u00e9".repeat(400_000), fine.after(), "800,000 bytes: under the cap");
        assertEquals(null, Diff.of("x", null, big).before());
    }
}
