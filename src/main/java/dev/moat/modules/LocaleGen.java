package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.moat.facts.CommandFact;
import dev.moat.facts.CommandOutput;
import dev.moat.facts.ExistsFact;
import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

/**
 * A locale generated or not, as {@code community.general.locale_gen} on Debian: the locale must be
 * listed (commented or not) in /etc/locale.gen; present means {@code locale -a} lists it (encodings
 * compared as Ansible normalises them); a change uncomments (or comments out) its line with
 * Ansible's substitution and runs {@code locale-gen}. Ubuntu's /var/lib/locales/supported.d is
 * refused by name. Undo: /etc/locale.gen and /usr/lib/locale/locale-archive restored byte for byte.
 *
 * <pre>
 * - locale_gen:
 *     name: de_CH.UTF-8
 * </pre>
 */
public final class LocaleGen implements Module<LocaleGen.LocaleArgs> {
    static final String FILE = "/etc/locale.gen";
    static final String ARCHIVE = "/usr/lib/locale/locale-archive";
    static final String UBUNTU = "/var/lib/locales/supported.d";
    private static final Map<String, String> NORMAL = Map.of(".utf8", ".UTF-8", ".eucjp", ".EUC-JP", ".iso885915", ".ISO-8859-15",
            ".cp1251", ".CP1251", ".koi8r", ".KOI8-R", ".armscii8", ".ARMSCII-8", ".euckr", ".EUC-KR", ".gbk", ".GBK",
            ".gb18030", ".GB18030", ".euctw", ".EUC-TW");
    private static final Pattern AVAILABLE = Pattern.compile("^#?\\s*(\\S+_\\S+) (\\S+)\\s*$");

    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.choice("state", "present", "absent", "present"));

    /** Validated arguments. */
    public record LocaleArgs(String name, boolean present) {}

    @Override
    public String name() {
        return "locale_gen";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public LocaleArgs bind(Args a) throws ArgException {
        String name = a.str("name");
        if (name.isBlank() || name.contains("\n")) throw new ArgException("name", "'" + name + "' is not a locale name");
        return new LocaleArgs(name, "present".equals(a.str("state")));
    }

    static CommandFact locales() {
        return new CommandFact("locales:/usr/lib/locale", "locale -a 2>/dev/null");
    }

    @Override
    public List<Fact<?>> reads(LocaleArgs args) {
        return List.of(new FileFact(FILE), new FileFact("/etc"), new ExistsFact(UBUNTU), locales());
    }

    @Override
    public Plan plan(LocaleArgs args, Facts facts, PlanContext ctx) throws TaskException {
        if (facts.get(new ExistsFact(UBUNTU))) {
            throw new TaskException(UBUNTU + " exists: Ubuntu's way of listing locales is not supported by moat (Debian's /etc/locale.gen is)");
        }
        FileState file = facts.get(new FileFact(FILE));
        if (!file.isFile() || file.text() == null) {
            throw new TaskException("/etc/locale.gen and /var/lib/locales/supported.d/local are missing. Is the package \"locales\" installed?");
        }
        String text = file.text();
        boolean available = false;
        for (String line : Modprobe.lines(text)) {
            Matcher m = AVAILABLE.matcher(line.endsWith("\n") ? line.substring(0, line.length() - 1) : line);
            if (m.matches() && m.group(1).equals(args.name())) available = true;
        }
        if (!available) throw new TaskException("The locale you've entered is not available on your system.");
        CommandOutput out = facts.get(locales());
        boolean present = false;
        for (String l : CronTab.splitLines(out.stdout())) if (fixCase(l).equals(fixCase(args.name()))) present = true;
        Plan.Builder b = Plan.builder();
        if (present == args.present()) return b.build();
        String after = setLocale(text, args.name(), args.present());
        b.diff(Diff.of("locale " + args.name(), (present ? "present" : "absent") + "\n", (args.present() ? "present" : "absent") + "\n"));
        b.undo(new Undo.RestorePath(ARCHIVE));
        Plan.Builder w = Plan.builder();
        FileWrite.plan(w, FILE, after.getBytes(StandardCharsets.UTF_8), Attrs.NONE, null, file, facts.get(new FileFact("/etc")), ctx.check());
        Plan written = w.build();
        written.steps().forEach(b::step);
        written.diffs().forEach(b::diff);
        written.undo().forEach(b::undo);
        b.step(Step.run("locale-gen", "locale-gen >/dev/null"));
        b.touches("file:" + FILE).touches("file:/usr/lib/locale");
        return b.build();
    }

    static String fixCase(String name) {
        for (Map.Entry<String, String> e : NORMAL.entrySet()) name = name.replace(e.getKey(), e.getValue());
        return name;
    }

    /** Ansible's set_locale: {@code re.sub('#{0,1}\s*NAME (?P<charset>.+)', ...)} on every line, the name a regular expression. */
    static String setLocale(String text, String name, boolean enabled) throws TaskException {
        Pattern p;
        try {
            p = PyRegex.compile("#{0,1}\\s*" + name + " (?<charset>.+)", 0);
        } catch (PatternSyntaxException e) {
            throw new TaskException("'" + name + "' is not a valid regular expression: " + e.getDescription());
        }
        StringBuilder out = new StringBuilder();
        String repl = Matcher.quoteReplacement((enabled ? "" : "# ") + name + " ") + "${charset}";
        for (String line : Modprobe.lines(text)) out.append(p.matcher(line).replaceAll(repl));
        return out.toString();
    }
}
