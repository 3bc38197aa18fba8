package dev.moat.compose;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Compose's variable interpolation: {@code $$} is a literal dollar; {@code $VAR} and {@code ${VAR}}
 * substitute; {@code ${VAR:-d}} / {@code ${VAR-d}} default when unset-or-empty / unset;
 * {@code ${VAR:?e}} / {@code ${VAR?e}} are errors then; {@code ${VAR:+r}} / {@code ${VAR+r}} replace
 * when set-and-non-empty / set. Defaults may nest. An unknown variable is the empty string, as
 * Compose does (it only warns); the names are collected in {@link #missing()}.
 *
 * <p>The environment is the {@code .env} file beside the compose file: moat cannot know the shell
 * environment that someone once ran {@code docker compose up} from.
 */
public final class Interpolation {
    /** How deep defaults may nest; a file from a host could otherwise nest deep enough to overflow the stack. */
    public static final int MAX_DEPTH = 32;

    private final Map<String, String> env;
    private final Set<String> missing = new LinkedHashSet<>();
    private int depth;

    public Interpolation(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Variables referenced but not set, in the order met. */
    public Set<String> missing() {
        return missing;
    }

    public String apply(String s) throws PortSyntaxException {
        if (depth >= MAX_DEPTH) throw new TooDeepException(MAX_DEPTH);
        depth++;
        try {
            return substitute(s);
        } finally {
            depth--;
        }
    }

    private String substitute(String s) throws PortSyntaxException {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= s.length()) throw bad(s);
            char n = s.charAt(i + 1);
            if (n == '$') {
                out.append('$');
                i += 2;
            } else if (n == '{') {
                int close = closing(s, i + 2);
                if (close < 0) throw bad(s);
                out.append(braced(s, s.substring(i + 2, close)));
                i = close + 1;
            } else if (n == '_' || Character.isLetter(n)) {
                int j = i + 1;
                while (j < s.length() && (s.charAt(j) == '_' || Character.isLetterOrDigit(s.charAt(j)))) j++;
                out.append(lookup(s.substring(i + 1, j)));
                i = j;
            } else {
                throw bad(s);
            }
        }
        return out.toString();
    }

    private String braced(String whole, String body) throws PortSyntaxException {
        int j = 0;
        while (j < body.length() && (body.charAt(j) == '_' || Character.isLetterOrDigit(body.charAt(j)))) j++;
        String name = body.substring(0, j);
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) throw bad(whole);
        String op = body.substring(j);
        String value = env.get(name);
        if (op.isEmpty()) return lookup(name);
        boolean colon = op.startsWith(":");
        String rest = colon ? op.substring(1) : op;
        if (rest.isEmpty()) throw bad(whole);
        char kind = rest.charAt(0);
        String arg = rest.substring(1);
        boolean unset = value == null || (colon && value.isEmpty());
        switch (kind) {
            case '-':
                return unset ? apply(arg) : value;
            case '?':
                if (unset) throw new PortSyntaxException("required variable " + name + " is missing a value" + (arg.isEmpty() ? "" : ": " + arg));
                return value;
            case '+':
                return unset ? "" : apply(arg);
            default:
                throw bad(whole);
        }
    }

    private String lookup(String name) {
        String v = env.get(name);
        if (v == null) {
            missing.add(name);
            return "";
        }
        return v;
    }

    /** The index of the brace closing a {@code ${} whose body starts at {@code from}, nested braces counted. */
    static int closing(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (c == '}') {
                if (--depth == 0) return i;
            }
        }
        return -1;
    }

    private static PortSyntaxException bad(String s) {
        return new PortSyntaxException("invalid interpolation format in '" + s + "' (write $$ for a literal $)");
    }

    /** Reads a {@code .env} file as Compose does: KEY=VALUE lines, # comments, optional export and quotes. */
    public static Map<String, String> parseEnvFile(String text) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (text == null) return out;
        for (String line : text.split("\r?\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            if (t.startsWith("export ")) t = t.substring(7).strip();
            int eq = t.indexOf('=');
            if (eq <= 0) continue;
            String key = t.substring(0, eq).strip();
            String v = t.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.indexOf(v.charAt(0), 1) > 0) {
                v = v.substring(1, v.indexOf(v.charAt(0), 1));
            } else {
                int hash = v.indexOf(" #");
                if (hash >= 0) v = v.substring(0, hash).strip();
            }
            out.put(key, v);
        }
        return out;
    }
}
