package dev.moat.modules.htpasswd;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an htpasswd file: {@code user:hash} entries in their order, and any other line
 * (blank, comment) kept as it is.
 */
public final class HtpasswdFile {
    /** One line; {@code user} is null for a line that is not an entry. */
    record Line(String user, String hash, String raw) {}

    private final List<Line> lines;

    private HtpasswdFile(List<Line> lines) {
        this.lines = lines;
    }

    public static HtpasswdFile parse(String text) {
        List<Line> out = new ArrayList<>();
        if (text != null && !text.isEmpty()) {
            for (String l : text.split("\n", -1)) {
                String s = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
                int c = s.indexOf(':');
                if (c > 0 && !s.startsWith("#")) out.add(new Line(s.substring(0, c), s.substring(c + 1), s));
                else out.add(new Line(null, null, s));
            }
            // the split leaves an empty last element for a final newline
            if (text.endsWith("\n")) out.remove(out.size() - 1);
        }
        return new HtpasswdFile(out);
    }

    /** The hash of {@code user}, or null. */
    public String hash(String user) {
        for (Line l : lines) if (user.equals(l.user())) return l.hash();
        return null;
    }

    public List<String> users() {
        List<String> u = new ArrayList<>();
        for (Line l : lines) if (l.user() != null) u.add(l.user());
        return u;
    }

    /** Sets {@code user}'s hash in place, or appends the user. */
    public void put(String user, String hash) {
        for (int i = 0; i < lines.size(); i++) {
            if (user.equals(lines.get(i).user())) {
                lines.set(i, new Line(user, hash, user + ":" + hash));
                return;
            }
        }
        lines.add(new Line(user, hash, user + ":" + hash));
    }

    public void remove(String user) {
        lines.removeIf(l -> user.equals(l.user()));
    }

    /** The file's text, one line each, with a final newline (empty when there are no lines). */
    public String render() {
        StringBuilder s = new StringBuilder();
        for (Line l : lines) s.append(l.raw()).append('\n');
        return s.toString();
    }
}
