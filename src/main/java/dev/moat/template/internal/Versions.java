package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.template.TemplateException;

/**
 * The version orderings of Ansible's {@code version} test: {@code loose} (distutils' LooseVersion,
 * the default), {@code strict} (StrictVersion) and {@code semver}/{@code semantic} (Semantic
 * Versioning 2.0). {@code pep440} is refused by name.
 */
final class Versions {
    private static final Pattern LOOSE_PART = Pattern.compile("\\d+|[a-z]+|\\.");
    private static final Pattern STRICT = Pattern.compile("^(\\d+)\\.(\\d+)(\\.(\\d+))?([ab](\\d+))?$");
    private static final String IDENT = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
    private static final Pattern SEMVER = Pattern.compile("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(?:-(" + IDENT + "(?:\\." + IDENT + ")*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

    private Versions() {}

    /** Negative, zero or positive as {@code a} is lower than, equal to or higher than {@code b}. */
    static int compare(String a, String b, String kind) {
        switch (kind) {
            case "loose": return compareLists(loose(a), loose(b));
            case "strict": return strict(a, b);
            case "semver":
            case "semantic": return semver(a, b);
            case "pep440": throw new TemplateException("the 'pep440' version_type is not supported by moat; use 'loose', 'strict' or 'semver'");
            default:
                throw new TemplateException("Invalid version type (" + kind + "). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'");
        }
    }

    /** LooseVersion's components: runs of digits (numbers), of lowercase letters, and whatever lies between. */
    private static List<Object> loose(String v) {
        List<Object> out = new ArrayList<>();
        Matcher m = LOOSE_PART.matcher(v);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) out.add(v.substring(last, m.start()));
            String part = m.group();
            if (!part.equals(".")) out.add(part.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(part) : part);
            last = m.end();
        }
        if (last < v.length()) out.add(v.substring(last));
        return out;
    }

    private static int compareLists(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int c;
            if (x instanceof Long l && y instanceof Long r) c = Long.compare(l, r);
            else if (x instanceof String l && y instanceof String r) c = l.compareTo(r);
            else throw new TemplateException("Version comparison failed: '<' not supported between instances of '"
                    + (x instanceof Long ? "int" : "str") + "' and '" + (y instanceof Long ? "int" : "str") + "'");
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int strict(String a, String b) {
        Matcher x = strictMatch(a);
        Matcher y = strictMatch(b);
        for (int g : new int[] {1, 2, 4}) {
            long l = x.group(g) == null ? 0 : Long.parseLong(x.group(g));
            long r = y.group(g) == null ? 0 : Long.parseLong(y.group(g));
            if (l != r) return Long.compare(l, r);
        }
        String pl = x.group(5);
        String pr = y.group(5);
        if (pl == null || pr == null) return pl == null ? (pr == null ? 0 : 1) : -1;
        int c = Character.compare(pl.charAt(0), pr.charAt(0));
        return c != 0 ? c : Long.compare(Long.parseLong(x.group(6)), Long.parseLong(y.group(6)));
    }

    private static Matcher strictMatch(String v) {
        Matcher m = STRICT.matcher(v);
        if (!m.matches()) throw new TemplateException("Version comparison failed: invalid version number '" + v + "'");
        return m;
    }

    private static int semver(String a, String b) {
        Matcher x = semverMatch(a);
        Matcher y = semverMatch(b);
        for (int g = 1; g <= 3; g++) {
            int c = new java.math.BigInteger(x.group(g)).compareTo(new java.math.BigInteger(y.group(g)));
            if (c != 0) return c;
        }
        String pl = x.group(4);
        String pr = y.group(4);
        if (pl == null || pr == null) return pl == null ? (pr == null ? 0 : 1) : -1;
        String[] l = pl.split("\\.");
        String[] r = pr.split("\\.");
        for (int i = 0; i < Math.min(l.length, r.length); i++) {
            boolean ln = l[i].matches("\\d+");
            boolean rn = r[i].matches("\\d+");
            int c;
            if (ln && rn) c = new java.math.BigInteger(l[i]).compareTo(new java.math.BigInteger(r[i]));
            else if (ln != rn) c = ln ? -1 : 1;
            else c = l[i].compareTo(r[i]);
            if (c != 0) return c;
        }
        return Integer.compare(l.length, r.length);
    }

    private static Matcher semverMatch(String v) {
        Matcher m = SEMVER.matcher(v);
        if (!m.matches()) throw new TemplateException("Version comparison failed: invalid semantic version '" + v + "'");
        return m;
    }
}
