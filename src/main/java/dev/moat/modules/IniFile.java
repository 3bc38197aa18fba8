package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * {@code community.general.ini_file} (also reached as {@code ini_file} and
 * {@code ansible.builtin.ini_file}), as community.general 6 does it for Ansible 2.14: an option set
 * to one value ({@code value}) or several ({@code values}, one line each) in a {@code section}
 * (none: before the first section), other occurrences removed ({@code exclusive}, the default);
 * {@code state: absent} removes the option (or, without {@code option}, the whole section). A
 * missing option goes after the section's last line that is not blank or a comment; a missing
 * section goes at the end. The file is read as Python's text mode does (a UTF-8 BOM dropped,
 * {@code \r\n} read as {@code \n}) and written whole like {@code copy}; undo restores the previous
 * file (or removes a file {@code create} made). {@code backup} is refused (the run journal keeps
 * the previous file).
 *
 * <pre>
 * - community.general.ini_file:
 *     path: /etc/containerd/runtime.ini
 *     section: nvidia
 *     option: default_runtime
 *     value: "true"
 *     mode: "0644"
 * </pre>
 */
public final class IniFile implements Module<IniFile.IniArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("path", ArgType.STRING).withAliases("dest"),
            ArgSpec.optional("section", ArgType.STRING),
            ArgSpec.optional("option", ArgType.STRING),
            ArgSpec.optional("value", ArgType.STRING),
            ArgSpec.optional("values", ArgType.LIST),
            ArgSpec.optional("backup", ArgType.BOOL, false),
            ArgSpec.choice("state", "present", "present", "absent"),
            ArgSpec.optional("exclusive", ArgType.BOOL, true),
            ArgSpec.optional("no_extra_spaces", ArgType.BOOL, false),
            ArgSpec.optional("allow_no_value", ArgType.BOOL, false),
            ArgSpec.optional("create", ArgType.BOOL, true),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("owner", ArgType.STRING),
            ArgSpec.optional("group", ArgType.STRING))
            .exclusive("value", "values");

    /** The section Ansible uses when none is given: a name no real file has, standing for "before any section". */
    private static final String FAKE = "ad01e11446efb704fcdbdb21f2c43757423d91c5";
    private static final Pattern BLANK_OR_COMMENT = Pattern.compile("^[ \\t]*([#;].*)?$", Pattern.UNIX_LINES);

    /** Validated arguments; {@code values} deduplicated in order. */
    public record IniArgs(String path, String section, String option, List<String> values, boolean present, boolean exclusive,
                          boolean noExtraSpaces, boolean allowNoValue, boolean create, Attrs attrs) {
        public IniArgs {
            values = List.copyOf(values);
        }
    }

    /** The new text and Ansible's message for it. */
    record Edit(String text, boolean changed, String msg) {}

    @Override
    public String name() {
        return "ini_file";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public IniArgs bind(Args a) throws ArgException {
        TextFile.refuseBackup(a);
        boolean present = "present".equals(a.str("state"));
        List<String> values = new ArrayList<>();
        for (String v : a.str("value") != null ? List.of(a.str("value")) : a.strings("values")) if (!values.contains(v)) values.add(v);
        if (present && !a.bool("allow_no_value") && values.isEmpty()) {
            throw new ArgException("value", "state: present needs value or values (or allow_no_value: true)");
        }
        String section = a.str("section");
        return new IniArgs(Paths.absolute("path", a.str("path")), section == null || section.isEmpty() ? null : section,
                a.str("option"), values, present, a.bool("exclusive"), a.bool("no_extra_spaces"), a.bool("allow_no_value"),
                a.bool("create"), Attrs.of(a));
    }

    @Override
    public List<Fact<?>> reads(IniArgs args) {
        return TextFile.reads(args.path());
    }

    @Override
    public Plan plan(IniArgs args, Facts facts, PlanContext ctx) throws TaskException {
        String before = TextFile.read(facts, args.path(), "ini_file", StandardCharsets.UTF_8);
        if (before == null && !args.create()) throw new TaskException("destination " + args.path() + " does not exist (create: true creates it)");
        Edit e = edit(before == null ? "" : before, args);
        // Ansible writes only when its edit says changed, even if only the line endings would differ.
        String after = e.changed() ? e.text() : before == null ? null : before;
        if (after == null) return Plan.converged().withResult(java.util.Map.of("msg", e.msg(), "path", args.path()));
        Plan.Builder b = TextFile.write(args.path(), after, StandardCharsets.UTF_8, args.attrs(), null, facts, ctx);
        return b.result("msg", e.msg()).result("path", args.path()).build();
    }

    /** community.general's {@code do_ini}, line for line: the new text, whether it changed, and the message. */
    static Edit edit(String content, IniArgs a) {
        List<String> values = new ArrayList<>(a.values());
        if (content.startsWith("\uFEFF")) content = content.substring(1);
        List<String> lines = BlockInFile.splitlines(content.replace("\r\n", "\n").replace('\r', '\n'));
        boolean changed = false;
        if (lines.isEmpty()) lines.add("\n");
        String last = lines.get(lines.size() - 1);
        if (!last.endsWith("\n")) {
            lines.set(lines.size() - 1, last + "\n");
            changed = true;
        }
        lines.add(0, "[" + FAKE + "]");
        lines.add("[");
        String section = a.section() == null ? FAKE : a.section();
        String option = a.option();
        String fmt = a.noExtraSpaces() ? "%s=%s\n" : "%s = %s\n";
        boolean within = false;
        int start = 0;
        int end = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("[" + section + "]")) {
                within = true;
                start = i;
            } else if (l.startsWith("[") && within) {
                end = i;
                break;
            }
        }
        List<String> head = new ArrayList<>(lines.subList(0, start));
        List<String> sec = new ArrayList<>(lines.subList(start, end));
        List<String> tail = new ArrayList<>(lines.subList(end, lines.size()));
        List<Boolean> touched = new ArrayList<>();
        for (int i = 0; i < sec.size(); i++) touched.add(false);
        String msg = "OK";
        boolean noValuePresent = false;

        if (a.present() && option != null) {
            for (int i = 0; i < sec.size(); i++) {
                Matcher m = opt(option, sec.get(i), true);
                if (m == null) continue;
                if (!values.isEmpty() && values.contains(m.group(6))) {
                    String v = m.group(6);
                    String nl;
                    if (v.isEmpty() && a.allowNoValue()) {
                        nl = option + "\n";
                        noValuePresent = true;
                    } else {
                        nl = String.format(fmt, option, v);
                    }
                    if (!sec.get(i).equals(nl)) { changed = true; msg = "option changed"; }
                    sec.set(i, nl);
                    touched.set(i, true);
                    values.remove(v);
                } else if (values.isEmpty() && a.allowNoValue()) {
                    String nl = option + "\n";
                    if (!sec.get(i).equals(nl)) { changed = true; msg = "option changed"; }
                    sec.set(i, nl);
                    touched.set(i, true);
                    noValuePresent = true;
                    break;
                }
            }
        }
        if (a.present() && a.exclusive() && !a.allowNoValue() && option != null) {
            for (int i = 0; i < sec.size() && !values.isEmpty(); i++) {
                if (touched.get(i) || opt(option, sec.get(i), true) == null) continue;
                String nl = String.format(fmt, option, values.remove(0));
                if (!sec.get(i).equals(nl)) { changed = true; msg = "option changed"; }
                sec.set(i, nl);
                touched.set(i, true);
            }
            for (int i = sec.size() - 1; i > 0; i--) {
                if (!touched.get(i) && opt(option, sec.get(i), true) != null) {
                    sec.remove(i);
                    touched.remove(i);
                    changed = true;
                    msg = "option changed";
                }
            }
        }
        if (a.present()) {
            for (int i = sec.size(); i > 0; i--) {
                if (matchesWhole(sec.get(i - 1))) continue;
                if (option != null && !values.isEmpty()) {
                    for (int k = values.size() - 1; k >= 0; k--) sec.add(i, String.format(fmt, option, values.get(k)));
                    msg = "option added";
                    changed = true;
                } else if (option != null && a.allowNoValue() && !noValuePresent) {
                    sec.add(i, option + "\n");
                    msg = "option added";
                    changed = true;
                }
                break;
            }
        } else if (option != null) {
            List<String> kept = new ArrayList<>();
            for (String l : sec) {
                Matcher m = opt(option, l, false);
                boolean drop = m != null && (a.exclusive() || values.contains(m.group(6)));
                if (!drop) kept.add(l);
            }
            if ((a.exclusive() || !values.isEmpty()) && !kept.equals(sec)) {
                changed = true;
                msg = "option changed";
                sec = kept;
            }
        } else if (!sec.isEmpty()) {
            sec = new ArrayList<>();
            msg = "section removed";
            changed = true;
        }
        List<String> out = new ArrayList<>(head);
        out.addAll(sec);
        out.addAll(tail);
        out.remove(0);
        out.remove(out.size() - 1);
        if (!within && a.present()) {
            out.add("[" + section + "]\n");
            msg = "section and option added";
            if (option != null && !values.isEmpty()) {
                for (String v : values) out.add(String.format(fmt, option, v));
            } else if (option != null && a.allowNoValue()) {
                out.add(option + "\n");
            } else {
                msg = "only section added";
            }
            changed = true;
        }
        return new Edit(String.join("", out), changed, msg);
    }

    /** Python's {@code re.match(r'^[ \t]*([#;].*)?$', line)}: {@code $} may stand before a final newline. */
    private static boolean matchesWhole(String line) {
        String l = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        return BLANK_OR_COMMENT.matcher(l).matches();
    }

    /** {@code match_opt} (commented lines too) or {@code match_active_opt}; null when the line is not the option. Group 6 is the value. */
    private static Matcher opt(String option, String line, boolean commented) {
        Pattern p = Pattern.compile((commented ? "[#;]?" : "") + "( |\\t)*(" + Pattern.quote(option) + ")( |\\t)*(=|$)( |\\t)*(.*)",
                Pattern.UNIX_LINES);
        Matcher m = p.matcher(line);
        return m.lookingAt() ? m : null;
    }
}
