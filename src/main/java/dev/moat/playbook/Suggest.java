package dev.moat.playbook;

import java.util.Collection;

/** "Did you mean": the closest known name by edit distance, if it is close enough to be a typo. */
final class Suggest {
    private Suggest() {}

    static String closest(String word, Collection<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(word.toLowerCase(), k.toLowerCase());
            if (d < bestD || (d == bestD && best != null && k.compareTo(best) < 0)) {
                bestD = d;
                best = k;
            }
        }
        if (best == null) return null;
        int limit = Math.max(1, Math.min(3, word.length() / 3 + 1));
        return bestD <= limit || best.startsWith(word) || word.startsWith(best) ? best : null;
    }

    /** "; did you mean 'x'?" or "". */
    static String hint(String word, Collection<String> known) {
        String c = closest(word, known);
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    static int distance(String a, String b) {
        return dev.moat.EditDistance.of(a, b);
    }
}
