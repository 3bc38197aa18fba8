package dev.moat.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.TaskException;

/**
 * Ansible's {@code find}: the files (or directories, links, anything) under {@code paths} whose
 * base name matches one of {@code patterns} (shell globs, or Python regexes matched from the start
 * with {@code use_regex}) and none of {@code excludes}, filtered by {@code age}, {@code size},
 * {@code contains}, {@code hidden}; one level, or the whole tree with {@code recurse} (down to
 * {@code depth}). Read-only: it never changes the host and is the same in check mode. The result
 * has Ansible's keys: {@code files} (each with {@code path} and the stat keys Ansible's find gives),
 * {@code matched}, {@code examined}, {@code msg}, {@code skipped_paths}.
 *
 * <p>The whole listing is one {@link FindRead} per path in the play's batched read (GNU
 * {@code find -printf}); the filters run here, except {@code contains} ({@code grep -P} on the
 * host: Perl's regexes, close to Python's) and {@code get_checksum} ({@code sha1sum}), which the
 * read computes for the regular files it lists. A path holding more than {@link FindRead#LIMIT}
 * entries fails the task rather than reading them all. Differences: with {@code follow}, entries
 * are stat'ed through their links ({@code find -L}); Ansible lstat's them.
 *
 * <pre>
 * - find:
 *     paths: /var/log/nginx
 *     patterns: "*.gz"
 *     age: 4w
 *   register: old_logs
 * </pre>
 */
public final class Find implements Module<Find.FindArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("paths", ArgType.LIST).withAliases("name", "path"),
            ArgSpec.optional("patterns", ArgType.LIST).withAliases("pattern"),
            ArgSpec.optional("excludes", ArgType.LIST).withAliases("exclude"),
            ArgSpec.optional("contains", ArgType.STRING),
            ArgSpec.optional("read_whole_file", ArgType.BOOL, false),
            ArgSpec.choice("file_type", "file", "any", "directory", "file", "link"),
            ArgSpec.optional("age", ArgType.STRING),
            ArgSpec.choice("age_stamp", "mtime", "atime", "ctime", "mtime"),
            ArgSpec.optional("size", ArgType.STRING),
            ArgSpec.optional("recurse", ArgType.BOOL, false),
            ArgSpec.optional("hidden", ArgType.BOOL, false),
            ArgSpec.optional("follow", ArgType.BOOL, false),
            ArgSpec.optional("get_checksum", ArgType.BOOL, false),
            ArgSpec.optional("use_regex", ArgType.BOOL, false),
            ArgSpec.optional("depth", ArgType.INT));

    /** Validated arguments: name matchers compiled; {@code age} in seconds and {@code size} in bytes (null: no filter). */
    public record FindArgs(List<String> paths, List<Pattern> patterns, List<Pattern> excludes, String contains, boolean wholeFile,
                           String fileType, Long age, String ageStamp, Long size, boolean recurse, boolean hidden, boolean follow,
                           boolean checksum, Integer depth) {
        public FindArgs {
            paths = List.copyOf(paths);
            patterns = List.copyOf(patterns);
            excludes = List.copyOf(excludes);
        }
    }

    @Override
    public String name() {
        return "find";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public FindArgs bind(Args a) throws ArgException {
        List<String> paths = new ArrayList<>();
        for (String p : a.strings("paths")) {
            Paths.absolute("paths", p);
            paths.add(p);
        }
        boolean regex = a.bool("use_regex");
        List<String> pats = a.strings("patterns").isEmpty() ? List.of(regex ? ".*" : "*") : a.strings("patterns");
        String contains = a.str("contains");
        if (contains != null) compile("contains", contains);
        Integer depth = a.integer("depth");
        return new FindArgs(paths, matchers("patterns", pats, regex), matchers("excludes", a.strings("excludes"), regex), contains,
                a.bool("read_whole_file"), a.str("file_type"), amount(a, "age", "smhdw", new long[] {1, 60, 3600, 86400, 604800}),
                a.str("age_stamp"), amount(a, "size", "bkmgt", new long[] {1, 1024, 1L << 20, 1L << 30, 1L << 40}),
                a.bool("recurse"), a.bool("hidden"), a.bool("follow"), a.bool("get_checksum"),
                depth == null || depth == 0 ? null : depth);
    }

    private static List<Pattern> matchers(String arg, List<String> given, boolean regex) throws ArgException {
        List<Pattern> out = new ArrayList<>();
        for (String g : given) out.add(regex ? compile(arg, g) : Pattern.compile(glob(g), Pattern.DOTALL));
        return out;
    }

    private static Pattern compile(String arg, String regex) throws ArgException {
        try {
            return PyRegex.compile(regex, 0);
        } catch (PatternSyntaxException e) {
            throw new ArgException(arg, "argument '" + arg + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    /** Ansible's reading of {@code age} ("2d", "-1h") and {@code size} ("10m"): a number with an optional unit. */
    private static Long amount(Args a, String arg, String units, long[] factor) throws ArgException {
        String v = a.str(arg);
        if (v == null) return null;
        Matcher m = Pattern.compile("(-?\\d+)([" + units + "])?").matcher(v.toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) throw new ArgException(arg, "failed to process " + arg + " '" + v + "' (a number, optionally with one of " + units + ")");
        return Long.parseLong(m.group(1)) * (m.group(2) == null ? 1 : factor[units.indexOf(m.group(2))]);
    }

    /** Python's {@code fnmatch.translate}: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}, the rest literal; the whole name (matched from the start, anchored at the end). */
    static String glob(String g) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*') {
                out.append(".*");
            } else if (c == '?') {
                out.append('.');
            } else if (c == '[') {
                int j = i + 1;
                if (j < g.length() && g.charAt(j) == '!') j++;
                if (j < g.length() && g.charAt(j) == ']') j++;
                while (j < g.length() && g.charAt(j) != ']') j++;
                if (j >= g.length()) {
                    out.append("\\[");
                } else {
                    String set = g.substring(i + 1, j).replace("\\", "\\\\").replace("[", "\\[");
                    if (set.startsWith("!")) set = "^" + set.substring(1);
                    else if (set.startsWith("^")) set = "\\" + set;
                    out.append('[').append(set).append(']');
                    i = j;
                }
            } else {
                out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return out.append("\\z").toString();
    }

    @Override
    public List<Fact<?>> reads(FindArgs args) {
        List<Fact<?>> out = new ArrayList<>();
        for (String p : args.paths()) out.add(read(args, p));
        return out;
    }

    static FindRead read(FindArgs a, String path) {
        Integer max = 1;
        if (a.recurse()) max = a.depth() == null ? null : Integer.valueOf(a.depth() + 1);
        return new FindRead(path, max, a.follow(), a.checksum(), a.contains(), a.wholeFile());
    }

    @Override
    public Plan plan(FindArgs args, Facts facts, PlanContext ctx) throws TaskException {
        List<Map<String, Object>> files = new ArrayList<>();
        Map<String, Object> skipped = new LinkedHashMap<>();
        long examined = 0;
        for (String p : args.paths()) {
            FindRead.Listing l = facts.get(read(args, p));
            if (l.notDirectory()) {
                skipped.put(p, "'" + p + "' is not a directory");
                continue;
            }
            examined += l.entries().size();
            for (FindRead.Entry e : l.entries()) {
                if (matches(args, p, e, l)) files.add(e.result(args.checksum() ? l.checksums().get(e.path()) : null));
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("files", files);
        r.put("matched", files.size());
        r.put("examined", examined);
        r.put("msg", skipped.isEmpty() ? "All paths examined" : "Not all paths examined, check warnings for details");
        r.put("skipped_paths", skipped);
        return Plan.converged().withResult(r);
    }

    /** Ansible's filters, in its order, for one entry under {@code root}. */
    static boolean matches(FindArgs a, String root, FindRead.Entry e, FindRead.Listing l) {
        if (a.depth() != null && e.depth(root) > a.depth()) return false;
        String name = e.name();
        if (name.startsWith(".") && !a.hidden()) return false;
        boolean nameOk = names(a, name);
        boolean ageOk = a.age() == null || (a.age() >= 0 ? l.now() - e.time(a.ageStamp()) >= a.age() : l.now() - e.time(a.ageStamp()) <= -a.age());
        boolean sizeOk = a.size() == null || (a.size() >= 0 ? e.size() >= a.size() : e.size() <= -a.size());
        switch (a.fileType()) {
            case "any":
                return nameOk && ageOk && (e.type() != 'f' || sizeOk);
            case "directory":
                return e.type() == 'd' && nameOk && ageOk;
            case "link":
                return e.type() == 'l' && nameOk && ageOk;
            default:
                return e.type() == 'f' && nameOk && ageOk && sizeOk && (a.contains() == null || l.containing().contains(e.path()));
        }
    }

    private static boolean names(FindArgs a, String name) {
        for (Pattern p : a.patterns()) {
            if (!p.matcher(name).lookingAt()) continue;
            for (Pattern x : a.excludes()) if (x.matcher(name).lookingAt()) return false;
            return true;
        }
        return false;
    }
}
