package dev.moat.transport.ssh;

/** OpenSSH's host pattern globs: {@code *} any run of characters, {@code ?} one; case-insensitive. */
final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String s) {
        return match(pattern.toLowerCase(), 0, s.toLowerCase(), 0);
    }

    private static boolean match(String p, int i, String s, int j) {
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '*') {
                for (int k = j; k <= s.length(); k++)
                    if (match(p, i + 1, s, k)) return true;
                return false;
            }
            if (j >= s.length() || (c != '?' && c != s.charAt(j))) return false;
            i++;
            j++;
        }
        return j == s.length();
    }
}
