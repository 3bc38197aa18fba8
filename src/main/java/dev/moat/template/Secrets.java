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

    /**
     * Whether a string inside {@code value} (a string, or the keys and values of plain lists and
     * mappings, to a bounded depth) contains a secret. Lazy mappings such as hostvars are not
     * walked: looking would render them.
     */
    public boolean holds(Object value) {
        if (values.isEmpty()) return false;
        List<String> strings = new ArrayList<>();
        strings(value, strings, 0);
        for (String t : strings) if (contains(t)) return true;
        return false;
    }

    /**
     * Records as secret every string in {@code output} that is not already in {@code inputs}: what a
     * filter made out of secret input ({@code pw | b64encode}), while a key it merely copied
     * ({@code users | dict2items}) stays printable.
     */
    public void addDerived(Object output, Object... inputs) {
        List<String> in = new ArrayList<>();
        for (Object i : inputs) strings(i, in, 0);
        Set<String> known = new java.util.HashSet<>(in);
        List<String> out = new ArrayList<>();
        strings(output, out, 0);
        for (String o : out) if (!known.contains(o)) add(o);
    }

    private static final int MAX_DEPTH = 8, MAX_STRINGS = 10_000;

    private static void strings(Object v, List<String> out, int depth) {
        if (out.size() >= MAX_STRINGS || depth > MAX_DEPTH) return;
        if (v instanceof CharSequence c) {
            out.add(c.toString());
        } else if (v instanceof java.util.Map<?, ?> m && plain(m)) {
            for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                strings(e.getKey(), out, depth + 1);
                strings(e.getValue(), out, depth + 1);
            }
        } else if (v instanceof java.util.Collection<?> c && plain(c)) {
            for (Object o : c) strings(o, out, depth + 1);
        } else if (v instanceof Object[] a) {
            for (Object o : a) strings(o, out, depth + 1);
        }
    }

    /** A JDK or Jinjava collection, not one of moat's lazy views. */
    private static boolean plain(Object c) {
        String n = c.getClass().getName();
        return n.startsWith("java.") || n.startsWith("com.hubspot.");
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
