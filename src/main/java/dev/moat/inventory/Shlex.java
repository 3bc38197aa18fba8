package dev.moat.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split(line, comments=True)} (posix mode), which Ansible's INI inventory
 * uses on host lines: words split on whitespace, {@code '...'} taken literally, {@code "..."}
 * with {@code \"} and {@code \\} escapes, a backslash outside quotes escaping the next character,
 * and {@code #} outside quotes ending the line.
 */
final class Shlex {
    private Shlex() {}

    /** The words of {@code line}; an unclosed quote or a trailing backslash is an IllegalArgumentException. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder tok = new StringBuilder();
        boolean inWord = false;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (inWord) out.add(tok.toString());
                tok.setLength(0);
                inWord = false;
            } else if (c == '#') {
                break;
            } else if (c == '\\') {
                if (i + 1 >= n) throw new IllegalArgumentException("No escaped character");
                tok.append(line.charAt(++i));
                inWord = true;
            } else if (c == '\'' || c == '"') {
                inWord = true;
                int j = i + 1;
                while (true) {
                    if (j >= n) throw new IllegalArgumentException("No closing quotation");
                    char d = line.charAt(j);
                    if (d == c) break;
                    if (c == '"' && d == '\\' && j + 1 < n && (line.charAt(j + 1) == '"' || line.charAt(j + 1) == '\\')) {
                        tok.append(line.charAt(j + 1));
                        j += 2;
                        continue;
                    }
                    if (c == '"' && d == '\\' && j + 1 >= n) throw new IllegalArgumentException("No escaped character");
                    tok.append(d);
                    j++;
                }
                i = j;
            } else {
                tok.append(c);
                inWord = true;
            }
        }
        if (inWord) out.add(tok.toString());
        return out;
    }
}
