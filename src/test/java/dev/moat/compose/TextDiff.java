package dev.moat.compose;

import java.util.ArrayList;
import java.util.List;

/** Test helper: the char ranges of {@code before} that differ in {@code after} (line LCS, then common prefix/suffix inside each hunk). */
final class TextDiff {
    private TextDiff() {}

    /** A changed range of the original, {@code [start, end)}, empty for a pure insertion. */
    record Range(int start, int end, String replacedBy) {}

    static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                out.add(s.substring(from, i + 1));
                from = i + 1;
            }
        }
        if (from < s.length()) out.add(s.substring(from));
        return out;
    }

    static List<Range> changes(String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Range> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        int offset = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                offset += a.get(i).length();
                i++;
                j++;
                continue;
            }
            int hunkStart = offset;
            StringBuilder old = new StringBuilder();
            StringBuilder neu = new StringBuilder();
            while ((i < n || j < m) && !(i < n && j < m && a.get(i).equals(b.get(j)))) {
                if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                    old.append(a.get(i));
                    offset += a.get(i).length();
                    i++;
                } else {
                    neu.append(b.get(j));
                    j++;
                }
            }
            out.addAll(chars(hunkStart, old.toString(), neu.toString()));
        }
        return out;
    }

    /** Char-level LCS inside one hunk: each maximal run of changed chars as a range of the original. */
    static List<Range> chars(int base, String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.charAt(i) == b.charAt(j) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Range> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.charAt(i) == b.charAt(j)) {
                i++;
                j++;
                continue;
            }
            int start = i;
            StringBuilder ins = new StringBuilder();
            while ((i < n || j < m) && !(i < n && j < m && a.charAt(i) == b.charAt(j))) {
                if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) i++;
                else ins.append(b.charAt(j++));
            }
            out.add(new Range(base + start, base + i, ins.toString()));
        }
        return out;
    }
}
