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

    @Test
    void aHugeRewriteIsBoundedInMemoryAndOutputAndSaysWhatItCut() {
        // 40,000 changed lines: Myers' trace would need (D+1)^2 ints (6 GB); past MAX_EDITS the diff is a plain replacement.
        StringBuilder a = new StringBuilder(), b = new StringBuilder(), full = new StringBuilder("--- x\n+++ x\n@@ -1,20000 +1,20000 @@\n");
        for (int i = 0; i < 20000; i++) {
            a.append("a").append(i).append('\n');
            b.append("b").append(i).append('\n');
            full.append("-a").append(i).append('\n');
        }
        for (int i = 0; i < 20000; i++) full.append("+b").append(i).append('\n');
        int cut = full.lastIndexOf("\n", UnifiedDiff.MAX_OUTPUT) + 1;
        String expected = full.substring(0, cut) + "diff truncated: " + (full.length() - cut) + " more bytes not shown\n";
        assertEquals(expected, UnifiedDiff.render("x", "x", a.toString(), b.toString()));
    }

    @Test
    void changesUpToTheCapStillGetTheShortestScript() {
        StringBuilder a = new StringBuilder(), b = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            a.append(i).append('\n');
            b.append(i % 2 == 0 ? "x" + i : String.valueOf(i)).append('\n');
        }
        String d = UnifiedDiff.render("x", "x", a.toString(), b.toString());
        assertEquals(true, d.startsWith("--- x\n+++ x\n@@ -1,3000 +1,3000 @@\n-0\n+x0\n 1\n-2\n+x2\n 3\n"), d.substring(0, 80));
        assertEquals(false, d.contains("truncated"));
    }
}
