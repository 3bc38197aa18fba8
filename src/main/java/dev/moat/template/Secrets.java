package dev.moat.template;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values seen during a run: everything that came out of {@code lookup('env', ...)} or
 * {@code lookup('file', ...)}. The output layer passes every line it prints or records through
 * {@link #mask(String)}, so a password never reaches the terminal, the run record or a diff, even
 * when it is part of a larger string. Thread-safe: hosts render in parallel.
 */
public final class Secrets {
    /** Shorter values are not masked: masking "on" or "22" everywhere would garble the output. */
    public static final int MIN_LENGTH = 4;
    public static final String MASK = "********";

    private final Set<String> values = ConcurrentHashMap.newKeySet();

    /** Records {@code value} (and each of its lines, for multi-line secrets such as keys) as secret. */
    public void add(String value) {
        if (value == null) return;
        if (value.length() >= MIN_LENGTH) values.add(value);
        if (value.indexOf('\n') >= 0) {
            for (String line : value.split("\r?\n")) {
                String t = line.strip();
                if (t.length() >= MIN_LENGTH) values.add(t);
            }
        }
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Whether {@code text} contains a secret value. */
    public boolean contains(String text) {
        if (text == null) return false;
        for (String s : values) if (text.contains(s)) return true;
        return false;
    }

    /** {@code text} with every secret value replaced by {@value #MASK}; longest secrets first. */
    public String mask(String text) {
        if (text == null || values.isEmpty()) return text;
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        String out = text;
        for (String s : sorted) {
            if (out.contains(s)) out = out.replace(s, MASK);
        }
        return out;
    }
}
