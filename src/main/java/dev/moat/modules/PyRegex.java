package dev.moat.modules;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Python's {@code re} on Java's regex engine, for modules whose patterns users wrote for Ansible
 * ({@code replace}, {@code blockinfile}, {@code find}). A pattern is translated where the two
 * dialects differ: {@code (?P<name>...)} and {@code (?P=name)}, {@code \Z} (Python's end of text is
 * Java's {@code \z}), {@code {,n}}; it compiles with {@code UNIX_LINES} (only {@code \n} ends a line
 * for {@code .}, {@code ^} and {@code $}, as in Python) and Unicode classes ({@code \w}, {@code \d}
 * match what Python 3 matches on text). A substitution template is expanded as {@code re.sub} does:
 * {@code \1}, {@code \g<1>}, {@code \g<name>}, the escapes {@code \n \t \r \f \v \a \b \\} and octal.
 */
final class PyRegex {
    private PyRegex() {}

    /** Compiles Python pattern {@code regex} with extra Java {@code flags}; the message of a bad one says why. */
    static Pattern compile(String regex, int flags) throws PatternSyntaxException {
        return Pattern.compile(translate(regex), flags | Pattern.UNIX_LINES | Pattern.UNICODE_CHARACTER_CLASS);
    }

    /** The Java spelling of a Python pattern. */
    static String translate(String py) {
        StringBuilder out = new StringBuilder(py.length() + 8);
        boolean inClass = false;
        for (int i = 0; i < py.length(); i++) {
            char c = py.charAt(i);
            if (c == '\\' && i + 1 < py.length()) {
                char n = py.charAt(i + 1);
                out.append(!inClass && n == 'Z' ? "\\z" : "\\" + n);
                i++;
            } else if (inClass) {
                if (c == ']') inClass = false;
                else if (c == '[') out.append('\\'); // Java nests classes; Python takes '[' literally in one
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                // A ']' first in a class (after an optional '^') is a literal in Python.
                if (i + 1 < py.length() && py.charAt(i + 1) == '^') out.append(py.charAt(++i));
                if (i + 1 < py.length() && py.charAt(i + 1) == ']') {
                    out.append("\\]");
                    i++;
                }
            } else if (py.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 3;
            } else if (py.startsWith("(?P=", i)) {
                int end = py.indexOf(')', i);
                if (end < 0) {
                    out.append(c);
                    continue;
                }
                out.append("\\k<").append(py, i + 4, end).append('>');
                i = end;
            } else if (c == '{' && py.startsWith(",", i + 1)) {
                out.append("{0");
            } else if (c == '{' && !quantifier(py, i)) {
                out.append("\\{");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether a '{' at {@code i} opens a repetition {@code {m}}, {@code {m,}} or {@code {m,n}}; Python takes any other literally. */
    private static boolean quantifier(String s, int i) {
        int end = s.indexOf('}', i);
        return end > i + 1 && s.substring(i + 1, end).matches("\\d+(,\\d*)?|,\\d+");
    }

    /** {@code re.subn(pattern, template, text)}: the new text and the number of replacements. */
    record Sub(String text, int count) {}

    static Sub sub(Pattern p, String template, String text) {
        Matcher m = p.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        int count = 0;
        while (m.find()) {
            out.append(text, last, m.start()).append(expand(template, m));
            last = m.end();
            count++;
        }
        out.append(text, last, text.length());
        return new Sub(out.toString(), count);
    }

    /** The template expanded for match {@code m}, as Python's {@code Match.expand}; an unmatched group is empty. */
    static String expand(String template, Matcher m) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '\\' || i + 1 == template.length()) {
                if (c == '\\') throw new IllegalArgumentException("bad escape (end of replacement)");
                out.append(c);
                continue;
            }
            char n = template.charAt(++i);
            if (n == 'g') {
                int end = template.indexOf('>', i);
                if (i + 1 >= template.length() || template.charAt(i + 1) != '<' || end < 0) {
                    throw new IllegalArgumentException("missing group name after \\g in the replacement");
                }
                String name = template.substring(i + 2, end);
                append(out, name.matches("\\d+") ? m.group(Integer.parseInt(name)) : m.group(name));
                i = end;
            } else if (n == '0' || octal(template, i)) {
                int j = i;
                while (j < template.length() && j < i + 3 && template.charAt(j) >= '0' && template.charAt(j) <= '7') j++;
                out.append((char) Integer.parseInt(template.substring(i, j), 8));
                i = j - 1;
            } else if (Character.isDigit(n)) {
                int j = i + 1;
                if (j < template.length() && Character.isDigit(template.charAt(j))) j++;
                int group = Integer.parseInt(template.substring(i, j));
                if (group > m.groupCount()) throw new IllegalArgumentException("invalid group reference " + group + " in the replacement");
                append(out, m.group(group));
                i = j - 1;
            } else {
                int e = "ntrfvab\\".indexOf(n);
                if (e >= 0) out.append("\n\t\r\f\u000b\u0007\b\\".charAt(e));
                else if (n < 128 && Character.isLetter(n)) throw new IllegalArgumentException("bad escape \\" + n + " in the replacement");
                else out.append('\\').append(n);
            }
        }
        return out.toString();
    }

    /** Python reads three octal digits after a backslash as a character, not a group. */
    private static boolean octal(String t, int i) {
        if (i + 2 >= t.length()) return false;
        for (int k = i; k < i + 3; k++) if (t.charAt(k) < '0' || t.charAt(k) > '7') return false;
        return true;
    }

    private static void append(StringBuilder out, String group) {
        if (group != null) out.append(group);
    }
}
