package dev.moat.module;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
    @Test
    void oneChangedLineWithContext() {
        String before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        String after = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assertEquals("--- x\n+++ x\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n",
                UnifiedDiff.render("x", "x", before, after));
    }

    @Test
    void newFileAndRemovedFile() {
        assertEquals("--- x\n+++ x\n@@ -0,0 +1,2 @@\n+hello\n+world\n", UnifiedDiff.render("x", "x", "", "hello\nworld\n"));
        assertEquals("--- x\n+++ x\n@@ -1 +0,0 @@\n-hello\n", UnifiedDiff.render("x", "x", "hello\n", ""));
    }

    @Test
    void missingFinalNewlineIsShown() {
        assertEquals("--- x\n+++ x\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n",
                UnifiedDiff.render("x", "x", "a\n", "a"));
    }

    @Test
    void distantChangesMakeTwoHunks() {
        StringBuilder a = new StringBuilder(), b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            a.append(i).append('\n');
            b.append(i == 1 ? "X" : i == 18 ? "Y" : String.valueOf(i)).append('\n');
        }
        String d = UnifiedDiff.render("x", "x", a.toString(), b.toString());
        assertEquals(2, d.split("@@ -", -1).length - 1, d);
        assertEquals(true, d.contains("@@ -1,5 +1,5 @@\n 0\n-1\n+X\n"), d);
    }
}
