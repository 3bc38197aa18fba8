package dev.moat.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.MoatException;

/** Ansible's {@code ensure_type}, {@code resolve_path} and {@code unquote} for the types {@link ConfigKey} uses. */
final class Values {
    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t");
    private static final Pattern VAR = Pattern.compile("\\$(\\w+|\\{([^}]*)\\})");

    private Values() {}

    /** The typed value of {@code raw}; {@code where} names its place for an error. */
    static Object convert(ConfigKey k, String raw, Path base, ConfigEnv env, String where) {
        switch (k.type()) {
            case BOOLEAN:
                return TRUE.contains(raw.strip().toLowerCase(Locale.ROOT));
            case INTEGER:
                try {
                    return Integer.parseInt(raw.strip().replace("_", ""));
                } catch (NumberFormatException e) {
                    throw MoatException.invalid(where + ": " + k.iniKeys().get(k.iniKeys().size() - 1) + " must be a whole number, not '"
                            + raw + "'");
                }
            case PATH:
                return resolvePath(raw, base, env).toString();
            case PATHLIST:
                return paths(raw.split(",", -1), base, env, true);
            case PATHSPEC:
                return paths(raw.split(":", -1), base, env, false);
            default:
                return unquote(raw);
        }
    }

    private static List<String> paths(String[] parts, Path base, ConfigEnv env, boolean strip) {
        List<String> out = new ArrayList<>();
        for (String p : parts) out.add(resolvePath(strip ? p.strip() : p, base, env).toString());
        return out;
    }

    /** Ansible's {@code unfrackpath(path, follow=False, basedir=base)}: {@code $VAR} and {@code ~} expanded, made absolute, normalized. */
    static Path resolvePath(String path, Path base, ConfigEnv env) {
        String p = path.replace("{{CWD}}", env.cwd().toString());
        p = expandVars(p, env);
        if (p.equals("~") || p.startsWith("~/")) p = env.home() + p.substring(1);
        Path out = Path.of(p);
        if (!out.isAbsolute()) out = base.resolve(p);
        return normalize(out);
    }

    /** Python's os.path.normpath (which, unlike Path.normalize, also folds ".." past the root away). */
    private static Path normalize(Path p) {
        Path n = p.normalize();
        while (n.getNameCount() > 0 && n.getName(0).toString().equals("..")) n = n.getRoot().resolve(n.subpath(1, n.getNameCount()));
        return n;
    }

    /** Python's os.path.expandvars: {@code $NAME} and {@code ${NAME}}; unknown variables are left as written. */
    private static String expandVars(String s, ConfigEnv env) {
        if (s.indexOf('$') < 0) return s;
        Matcher m = VAR.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(2) != null ? m.group(2) : m.group(1);
            String v = env.get(name);
            m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** Ansible's unquote: one pair of matching surrounding quotes removed. */
    static String unquote(String s) {
        if (s.length() > 1 && s.charAt(0) == s.charAt(s.length() - 1) && (s.charAt(0) == '"' || s.charAt(0) == '\'')
                && s.charAt(s.length() - 2) != '\\') {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
