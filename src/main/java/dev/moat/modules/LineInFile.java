package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
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
 * One line in a text file, with Ansible's semantics: with {@code state: present} the last line
 * matching {@code regexp} is replaced by {@code line}; when nothing matches and {@code line} is not
 * already there, it is inserted after the last line matching {@code insertafter} (or at the end:
 * {@code EOF}, the default, also when the pattern matches nothing) or before the last line matching
 * {@code insertbefore} ({@code BOF}: at the top). {@code state: absent} removes every line matching
 * {@code regexp} (or equal to {@code line}). The whole new content is computed here and written like
 * {@code copy} (atomic; undo restores the previous file). Regular expressions are Java's, searched
 * anywhere in the line as Python's {@code re.search}.
 *
 * <pre>
 * - lineinfile:
 *     path: /etc/ssh/sshd_config
 *     regexp: '^#?PasswordAuthentication'
 *     line: PasswordAuthentication no
 * </pre>
 */
public final class LineInFile implements Module<LineInFile.LineArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("path", ArgType.STRING).withAliases("dest", "destfile", "name"),
            ArgSpec.optional("regexp", ArgType.STRING).withAliases("regex"),
            ArgSpec.optional("line", ArgType.STRING).withAliases("value"),
            ArgSpec.choice("state", "present", "present", "absent"),
            ArgSpec.optional("insertafter", ArgType.STRING),
            ArgSpec.optional("insertbefore", ArgType.STRING),
            ArgSpec.optional("create", ArgType.BOOL, false),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("owner", ArgType.STRING),
            ArgSpec.optional("group", ArgType.STRING),
            ArgSpec.optional("validate", ArgType.STRING))
            .exclusive("insertafter", "insertbefore");

    /** Validated arguments; {@code insertAfter}/{@code insertBefore} are null, a pattern, "EOF" or "BOF". */
    public record LineArgs(String path, Pattern regexp, String line, boolean present, String insertAfter,
                           String insertBefore, boolean create, Attrs attrs, String validate) {}

    @Override
    public String name() {
        return "lineinfile";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public LineArgs bind(Args a) throws ArgException {
        boolean present = "present".equals(a.str("state"));
        if (present && a.str("line") == null) throw new ArgException("line", "state: present needs line");
        if (!present && a.str("line") == null && a.str("regexp") == null) {
            throw new ArgException("regexp", "state: absent needs regexp or line");
        }
        if (a.str("line") != null && a.str("line").contains("\n")) {
            throw new ArgException("line", "line must be one line (it contains a newline)");
        }
        return new LineArgs(Paths.absolute("path", a.str("path")), regex(a, "regexp"), a.str("line"), present,
                anchorOrRegex(a, "insertafter", "EOF"), anchorOrRegex(a, "insertbefore", "BOF"), a.bool("create"),
                Attrs.of(a), Copy.validate(a));
    }

    private static Pattern regex(Args a, String name) throws ArgException {
        String r = a.str(name);
        if (r == null) return null;
        try {
            return Pattern.compile(r);
        } catch (PatternSyntaxException e) {
            throw new ArgException(name, "argument '" + name + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    private static String anchorOrRegex(Args a, String name, String anchor) throws ArgException {
        String v = a.str(name);
        if (v != null && !v.equals(anchor)) regex(a, name);
        return v;
    }

    @Override
    public List<Fact<?>> reads(LineArgs args) {
        return TextFile.reads(args.path());
    }

    @Override
    public Plan plan(LineArgs args, Facts facts, PlanContext ctx) throws TaskException {
        FileState cur = facts.get(new FileFact(args.path()));
        String before;
        if (!cur.exists()) {
            if (!args.present()) return Plan.converged();
            if (!args.create()) throw new TaskException("file " + args.path() + " does not exist (create: true creates it)");
            before = "";
        } else {
            if (!cur.isFile()) throw new TaskException(args.path() + " is not a regular file");
            if (cur.overCap()) throw new TaskException(args.path() + " is too big for lineinfile (" + cur.size() + " bytes)");
            before = cur.text();
            if (before == null) throw new TaskException(args.path() + " is not UTF-8 text");
        }
        String after = args.present() ? present(before, args) : absent(before, args);
        Plan.Builder b = Plan.builder();
        FileWrite.plan(b, args.path(), after.getBytes(StandardCharsets.UTF_8), args.attrs(), args.validate(), cur,
                facts.get(new FileFact(FileWrite.parentOf(args.path()))), ctx.check());
        return b.build();
    }

    /** The content with the line ensured, per Ansible's lineinfile. */
    static String present(String content, LineArgs a) {
        List<String> lines = split(content);
        Pattern ins = null;
        if (a.insertAfter() != null && !a.insertAfter().equals("EOF")) ins = Pattern.compile(a.insertAfter());
        if (a.insertBefore() != null && !a.insertBefore().equals("BOF")) ins = Pattern.compile(a.insertBefore());
        int match = -1;
        int exact = -1;
        int insertAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = strip(lines.get(i));
            if (a.regexp() != null && a.regexp().matcher(l).find()) match = i;
            if (l.equals(a.line())) exact = i;
            else if (ins != null && ins.matcher(l).find()) insertAt = a.insertAfter() != null ? i + 1 : i;
        }
        if (match >= 0) {
            if (!strip(lines.get(match)).equals(a.line())) lines.set(match, a.line() + ending(lines.get(match)));
            return String.join("", lines);
        }
        if (exact >= 0) return content;
        String nl = a.line() + "\n";
        if ("BOF".equals(a.insertBefore())) {
            lines.add(0, nl);
        } else if (insertAt >= 0) {
            if (insertAt > 0 && !lines.get(insertAt - 1).endsWith("\n")) lines.set(insertAt - 1, lines.get(insertAt - 1) + "\n");
            lines.add(insertAt, nl);
        } else {
            int last = lines.size() - 1;
            if (last >= 0 && !lines.get(last).endsWith("\n")) lines.set(last, lines.get(last) + "\n");
            lines.add(nl);
        }
        return String.join("", lines);
    }

    /** The content without the matching lines. */
    static String absent(String content, LineArgs a) {
        StringBuilder out = new StringBuilder();
        for (String l : split(content)) {
            String s = strip(l);
            boolean hit = a.regexp() != null ? a.regexp().matcher(s).find() : s.equals(a.line());
            if (!hit) out.append(l);
        }
        return out.toString();
    }

    /** Lines with their endings kept, so untouched lines come back byte for byte. */
    public static List<String> split(String content) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length(); i++) {
            if (content.charAt(i) == '\n') {
                out.add(content.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < content.length()) out.add(content.substring(start));
        return out;
    }

    private static String strip(String line) {
        int e = line.length();
        while (e > 0 && (line.charAt(e - 1) == '\n' || line.charAt(e - 1) == '\r')) e--;
        return line.substring(0, e);
    }

    private static String ending(String line) {
        return line.substring(strip(line).length());
    }
}
