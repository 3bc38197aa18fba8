package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

/** Splits a command line into words as POSIX shells (and Python's shlex) do, without any expansion. */
final class Shlex {
    private Shlex() {}

    /** The words of {@code s}; throws IllegalArgumentException on an unterminated quote. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\'') {
                int end = s.indexOf('\'', i);
                if (end < 0) throw new IllegalArgumentException("unterminated single quote");
                w.append(s, i, end);
                i = end + 1;
                inWord = true;
            } else if (c == '"') {
                inWord = true;
                while (true) {
                    if (i >= s.length()) throw new IllegalArgumentException("unterminated double quote");
                    char d = s.charAt(i++);
                    if (d == '"') break;
                    if (d == '\\' && i < s.length() && "\"\\$`\n".indexOf(s.charAt(i)) >= 0) d = s.charAt(i++);
                    w.append(d);
                }
            } else if (c == '\\') {
                if (i < s.length()) {
                    char n = s.charAt(i++);
                    if (n != '\n') w.append(n);
                }
                inWord = true;
            } else if (c == ' ' || c == '\t' || c == '\n') {
                if (inWord) out.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) out.add(w.toString());
        return out;
    }
}
