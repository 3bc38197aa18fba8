package dev.moat.compose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Replace the chars {@code [start, end)} of a text by {@code text}; an insertion when start == end. */
public record Edit(int start, int end, String text) {
    public Edit {
        if (start < 0 || end < start) throw new IllegalArgumentException("bad edit range " + start + ".." + end);
    }

    /** Applies non-overlapping edits; every char outside their ranges is kept as it was. */
    public static String apply(String source, List<Edit> edits) {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end));
        StringBuilder out = new StringBuilder(source.length() + 64);
        int at = 0;
        for (Edit e : sorted) {
            if (e.start < at) throw new IllegalStateException("overlapping edits at " + e.start);
            out.append(source, at, e.start).append(e.text);
            at = e.end;
        }
        return out.append(source, at, source.length()).toString();
    }
}
