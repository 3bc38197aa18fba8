package dev.moat.inventory;

/** Python's fnmatch.translate: a shell glob ({@code *}, {@code ?}, {@code [abc]}, {@code [!abc]}) as a whole-string regex. */
final class Glob {
    private Glob() {}

    static String toRegex(String pat) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        int n = pat.length();
        while (i < n) {
            char c = pat.charAt(i++);
            if (c == '*') {
                while (i < n && pat.charAt(i) == '*') i++;
                b.append(".*");
            } else if (c == '?') {
                b.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && pat.charAt(j) == '!') j++;
                if (j < n && pat.charAt(j) == ']') j++;
                while (j < n && pat.charAt(j) != ']') j++;
                if (j >= n) {
                    b.append("\\[");
                } else {
                    String stuff = pat.substring(i, j);
                    i = j + 1;
                    StringBuilder cls = new StringBuilder("[");
                    int k = 0;
                    if (stuff.startsWith("!")) {
                        cls.append('^');
                        k = 1;
                    } else if (stuff.startsWith("^")) {
                        cls.append("\\^");
                        k = 1;
                    }
                    for (; k < stuff.length(); k++) {
                        char s = stuff.charAt(k);
                        if (s == '\\' || s == '[' || s == ']' || s == '&' || s == '^') cls.append('\\');
                        cls.append(s);
                    }
                    b.append(cls).append(']');
                }
            } else {
                b.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return b.append("\\z").toString();
    }
}
