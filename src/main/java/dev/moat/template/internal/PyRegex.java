package dev.moat.template.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Python's {@code re} syntax, as Ansible's regex filters take it, on java.util.regex. */
final class PyRegex {
    private PyRegex() {}

    static Pattern compile(String pattern, boolean ignoreCase, boolean multiline) {
        String p = pattern.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        int flags = (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0) | (multiline ? Pattern.MULTILINE : 0);
        return Pattern.compile(p, flags);
    }

    /** {@code re.sub(pattern, repl, text, count)}: {@code repl} may use {@code \1}, {@code \g<1>}, {@code \g<name>}. */
    static String sub(Pattern p, String repl, String text, int count) {
        Matcher m = p.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        int done = 0;
        while ((count <= 0 || done < count) && m.find()) {
            out.append(text, last, m.start());
            expand(m, repl, out);
            last = m.end();
            done++;
        }
        out.append(text.substring(last));
        return out.toString();
    }

    /** Appends {@code repl} to {@code out} with group references of the current match filled in. */
    static void expand(Matcher m, String repl, StringBuilder out) {
        for (int i = 0; i < repl.length(); i++) {
            char c = repl.charAt(i);
            if (c != '\\' || i + 1 == repl.length()) {
                out.append(c);
                continue;
            }
            char n = repl.charAt(i + 1);
            if (Character.isDigit(n)) {
                int j = i + 1;
                while (j < repl.length() && j < i + 3 && Character.isDigit(repl.charAt(j))) j++;
                append(out, m.group(Integer.parseInt(repl.substring(i + 1, j))));
                i = j - 1;
            } else if (n == 'g' && i + 2 < repl.length() && repl.charAt(i + 2) == '<') {
                int end = repl.indexOf('>', i + 3);
                if (end < 0) throw new IllegalArgumentException("bad group reference in '" + repl + "'");
                String g = repl.substring(i + 3, end);
                append(out, g.chars().allMatch(Character::isDigit) ? m.group(Integer.parseInt(g)) : m.group(g));
                i = end;
            } else {
                switch (n) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'r': out.append('\r'); break;
                    case '\\': out.append('\\'); break;
                    default: out.append('\\').append(n);
                }
                i++;
            }
        }
    }

    private static void append(StringBuilder out, String group) {
        if (group != null) out.append(group);
    }
}
