package dev.moat.modules;

import java.nio.charset.Charset;
import java.util.List;
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
 * Ansible's {@code replace}: every match of {@code regexp} in a file replaced by {@code replace}, with
 * Python's {@code re.sub} semantics ({@link PyRegex}: {@code \1}, {@code \g<name>}, MULTILINE always
 * on). {@code after} and {@code before} narrow the edit to the text between the first match of
 * {@code after} and the following match of {@code before} (DOTALL, as Ansible); when they match
 * nothing the task is unchanged. A missing file fails, as in Ansible. Written like {@code copy}
 * (atomic, {@code validate}, mode/owner); undo restores the previous file. Unlike Ansible, a symlink
 * at {@code path} is refused rather than written through, and {@code backup} is refused (the run
 * journal keeps the previous file).
 *
 * <pre>
 * - replace:
 *     path: /lib/systemd/system/docker.service
 *     regexp: '^ExecStart=.*$'
 *     replace: 'ExecStart=/usr/bin/dockerd -H fd:// --ip 127.0.0.1'
 * </pre>
 */
public final class Replace implements Module<Replace.ReplaceArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("path", ArgType.STRING).withAliases("dest", "destfile", "name"),
            ArgSpec.required("regexp", ArgType.STRING),
            ArgSpec.optional("replace", ArgType.STRING, ""),
            ArgSpec.optional("after", ArgType.STRING),
            ArgSpec.optional("before", ArgType.STRING),
            ArgSpec.optional("backup", ArgType.BOOL, false),
            ArgSpec.optional("validate", ArgType.STRING),
            ArgSpec.optional("encoding", ArgType.STRING, "utf-8"),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("owner", ArgType.STRING),
            ArgSpec.optional("group", ArgType.STRING));

    /**
     * Validated arguments: {@code section} is the after/before pattern as Ansible builds it (Python's
     * spelling, for messages) and {@code sectionRe} compiled, both null for the whole file.
     */
    public record ReplaceArgs(String path, Pattern regexp, String replace, String section, Pattern sectionRe, Charset encoding, Attrs attrs,
                              String validate) {}

    @Override
    public String name() {
        return "replace";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public ReplaceArgs bind(Args a) throws ArgException {
        TextFile.refuseBackup(a);
        Pattern regexp = compile("regexp", a.str("regexp"), Pattern.MULTILINE);
        String after = a.str("after");
        String before = a.str("before");
        String section = null;
        if (after != null && !after.isEmpty() && before != null && !before.isEmpty()) {
            section = after + "(?P<subsection>.*?)" + before;
        } else if (after != null && !after.isEmpty()) {
            section = after + "(?P<subsection>.*)";
        } else if (before != null && !before.isEmpty()) {
            section = "(?P<subsection>.*)" + before;
        }
        String replace = a.str("replace");
        return new ReplaceArgs(Paths.absolute("path", a.str("path")), regexp, replace, section,
                section == null ? null : compile(after != null && !after.isEmpty() ? "after" : "before", section, Pattern.DOTALL),
                TextFile.charset("encoding", a.str("encoding")), Attrs.of(a), Copy.validate(a));
    }

    private static Pattern compile(String arg, String regex, int flags) throws ArgException {
        try {
            return PyRegex.compile(regex, flags);
        } catch (PatternSyntaxException e) {
            throw new ArgException(arg, "argument '" + arg + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    @Override
    public List<Fact<?>> reads(ReplaceArgs args) {
        return TextFile.reads(args.path());
    }

    @Override
    public Plan plan(ReplaceArgs args, Facts facts, PlanContext ctx) throws TaskException {
        String before = TextFile.read(facts, args.path(), "replace", args.encoding());
        if (before == null) throw new TaskException("path " + args.path() + " does not exist");
        PyRegex.Sub sub;
        try {
            sub = substitute(before, args);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new TaskException("replace: " + e.getMessage());
        }
        if (sub == null) {
            return Plan.converged().withResult(java.util.Map.of("msg",
                    "Pattern for before/after params did not match the given file: " + args.section()));
        }
        String after = sub.count() > 0 ? sub.text() : before;
        Plan.Builder b = TextFile.write(args.path(), after, args.encoding(), args.attrs(), args.validate(), facts, ctx);
        if (!after.equals(before)) b.result("msg", sub.count() + " replacements made");
        return b.build();
    }

    /** The file's new text as Ansible computes it, or null when after/before match nothing. */
    static PyRegex.Sub substitute(String content, ReplaceArgs a) {
        if (a.sectionRe() == null) return PyRegex.sub(a.regexp(), a.replace(), content);
        Matcher m = a.sectionRe().matcher(content);
        if (!m.find()) return null;
        PyRegex.Sub inner = PyRegex.sub(a.regexp(), a.replace(), m.group("subsection"));
        return new PyRegex.Sub(content.substring(0, m.start("subsection")) + inner.text() + content.substring(m.end("subsection")),
                inner.count());
    }
}
