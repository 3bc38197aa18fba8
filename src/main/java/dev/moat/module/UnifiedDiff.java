package dev.moat.module;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders before/after text as a unified diff (Myers' algorithm, 3 lines of context). A host's
 * file may be anything, so the work is bounded: past {@link #MAX_EDITS} changed lines the diff is
 * the whole old text removed and the whole new one added (Myers' memory grows with the square of
 * the changes), and a rendering over {@link #MAX_OUTPUT} characters is cut, saying how much was not shown.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;
    /** Changed lines beyond which the shortest edit script is not searched: (D+1)^2 ints of memory. */
    static final int MAX_EDITS = 4096;
    static final int MAX_OUTPUT = 256 * 1024;

    private UnifiedDiff() {}

    public static String render(String fromHeader, String toHeader, String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<int[]> ops = edits(a, b); // each: {kind, aIndex, bIndex}; kind 0 keep, -1 delete, 1 insert
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(fromHeader).append('\n').append("+++ ").append(toHeader).append('\n');
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i)[0] == 0) { i++; continue; }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int lastChange = i;
            while (end < ops.size()) {
                if (ops.get(end)[0] != 0) lastChange = end;
                else if (end - lastChange > 2 * CONTEXT) break;
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int aStart = -1, bStart = -1, aLen = 0, bLen = 0;
            StringBuilder body = new StringBuilder();
            for (int k = start; k < end; k++) {
                int[] op = ops.get(k);
                if (aStart < 0) { aStart = op[1]; bStart = op[2]; }
                if (op[0] == 0) { body.append(' ').append(a.get(op[1])); aLen++; bLen++; }
                else if (op[0] < 0) { body.append('-').append(a.get(op[1])); aLen++; }
                else { body.append('+').append(b.get(op[2])); bLen++; }
                body.append('\n');
            }
            out.append("@@ -").append(range(aStart, aLen)).append(" +").append(range(bStart, bLen)).append(" @@\n");
            out.append(body);
            i = end;
            if (out.length() > MAX_OUTPUT) break;
        }
        return capped(out);
    }

    /** The diff cut at a line end within {@link #MAX_OUTPUT}, with the size of what was cut. */
    private static String capped(StringBuilder out) {
        if (out.length() <= MAX_OUTPUT) return out.toString();
        int cut = out.lastIndexOf("\n", MAX_OUTPUT) + 1;
        String rest = out.substring(cut);
        return out.substring(0, cut) + "diff truncated: " + rest.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + " more bytes not shown\n";
    }

    private static String range(int start, int len) {
        int first = len == 0 ? start : start + 1;
        return len == 1 ? String.valueOf(first) : first + "," + len;
    }

    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        if (s == null || s.isEmpty()) return out;
        int from = 0;
        while (from < s.length()) {
            int nl = s.indexOf('\n', from);
            if (nl < 0) { out.add(s.substring(from) + "\n\\ No newline at end of file"); break; }
            out.add(s.substring(from, nl));
            from = nl + 1;
        }
        return out;
    }

    /**
     * Myers' O(ND) shortest edit script, as keep/delete/insert operations with their indexes; past
     * {@link #MAX_EDITS} edits, every line of {@code a} deleted and every line of {@code b} inserted.
     */
    static List<int[]> edits(List<String> a, List<String> b) {
        int n = a.size(), m = b.size(), max = n + m;
        int[] v = new int[2 * max + 2];
        // trace.get(d) holds v[-d..d] as it was before step d: all the backtrack reads of it.
        List<int[]> trace = new ArrayList<>();
        int found = -1;
        for (int d = 0; d <= max && found < 0; d++) {
            if (d > MAX_EDITS) return replaceAll(n, m);
            trace.add(java.util.Arrays.copyOfRange(v, max - d, max + d + 1));
            for (int k = -d; k <= d; k += 2) {
                int x;
                if (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) x = v[max + k + 1];
                else x = v[max + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) { x++; y++; }
                v[max + k] = x;
                if (x >= n && y >= m) { found = d; break; }
            }
        }
        List<int[]> ops = new ArrayList<>();
        int x = n, y = m;
        for (int d = found; d > 0; d--) {
            int[] pv = trace.get(d);
            int k = x - y;
            int prevK = (k == -d || (k != d && pv[d + k - 1] < pv[d + k + 1])) ? k + 1 : k - 1;
            int prevX = pv[d + prevK], prevY = prevX - prevK;
            while (x > prevX && y > prevY) { x--; y--; ops.add(new int[]{0, x, y}); }
            if (x == prevX) { y--; ops.add(new int[]{1, x, y}); }
            else { x--; ops.add(new int[]{-1, x, y}); }
        }
        while (x > 0 && y > 0) { x--; y--; ops.add(new int[]{0, x, y}); }
        java.util.Collections.reverse(ops);
        return ops;
    }

    private static List<int[]> replaceAll(int n, int m) {
        List<int[]> ops = new ArrayList<>(n + m);
        for (int x = 0; x < n; x++) ops.add(new int[]{-1, x, 0});
        for (int y = 0; y < m; y++) ops.add(new int[]{1, n, y});
        return ops;
    }
}
