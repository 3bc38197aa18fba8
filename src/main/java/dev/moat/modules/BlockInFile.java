package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Ansible's {@code blockinfile}: a block of lines between two marker lines, kept in a file. An
 * existing block (both markers found) is replaced in place; otherwise the block goes after the last
 * line matching {@code insertafter} ({@code EOF}, the default, also when nothing matches) or before
 * the last line matching {@code insertbefore} ({@code BOF}: at the top). A pattern with an inline
 * {@code (?m)} is searched over the whole file, as Ansible does. {@code state: absent} or an empty
 * {@code block} removes the block and its markers. {@code marker} holds {@code {mark}}, replaced by
 * {@code marker_begin} / {@code marker_end}. Ansible 2.14 has no {@code append_newline} /
 * {@code prepend_newline} (they came in 2.16), so neither does moat. Written like {@code copy};
 * undo restores the previous file (or removes a file {@code create} made). {@code backup} is refused
 * (the run journal keeps the previous file); a symlink at {@code path} is refused, not written through.
 *
 * <pre>
 * - blockinfile:
 *     path: /etc/security/limits.conf
 *     block: |
 *       *  soft  nofile  65536
 *       *  hard  nofile  65536
 *     marker: "# {mark} GPU LIMITS"
 * </pre>
 */
public final class BlockInFile implements Module<BlockInFile.BlockArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("path", ArgType.STRING).withAliases("dest", "destfile", "name"),
            ArgSpec.choice("state", "present", "present", "absent"),
            ArgSpec.optional("marker", ArgType.STRING, "# {mark} ANSIBLE MANAGED BLOCK"),
            ArgSpec.optional("block", ArgType.STRING, "").withAliases("content"),
            ArgSpec.optional("insertafter", ArgType.STRING),
            ArgSpec.optional("insertbefore", ArgType.STRING),
            ArgSpec.optional("create", ArgType.BOOL, false),
            ArgSpec.optional("backup", ArgType.BOOL, false),
            ArgSpec.optional("validate", ArgType.STRING),
            ArgSpec.optional("marker_begin", ArgType.STRING, "BEGIN"),
            ArgSpec.optional("marker_end", ArgType.STRING, "END"),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("owner", ArgType.STRING),
            ArgSpec.optional("group", ArgType.STRING))
            .exclusive("insertafter", "insertbefore");

    /**
     * Validated arguments: the two marker lines (with their newline), the block's lines, and where a new
     * block goes: {@code after} (true) or before {@code anchor} (null: EOF or BOF).
     */
    public record BlockArgs(String path, boolean present, String begin, String end, String block, boolean after,
                            Pattern anchor, boolean create, Attrs attrs, String validate) {}

    @Override
    public String name() {
        return "blockinfile";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public BlockArgs bind(Args a) throws ArgException {
        TextFile.refuseBackup(a);
        String marker = a.str("marker");
        String ins = a.str("insertbefore") != null ? a.str("insertbefore") : a.str("insertafter");
        boolean after = a.str("insertbefore") == null;
        Pattern anchor = null;
        if (ins != null && !ins.equals(after ? "EOF" : "BOF")) {
            String arg = after ? "insertafter" : "insertbefore";
            try {
                anchor = PyRegex.compile(ins, 0);
            } catch (PatternSyntaxException e) {
                throw new ArgException(arg, "argument '" + arg + "' is not a valid regular expression: " + e.getDescription());
            }
        }
        return new BlockArgs(Paths.absolute("path", a.str("path")), "present".equals(a.str("state")),
                marker.replace("{mark}", a.str("marker_begin")) + "\n", marker.replace("{mark}", a.str("marker_end")) + "\n",
                a.str("block"), after, anchor, a.bool("create"), Attrs.of(a), Copy.validate(a));
    }

    @Override
    public List<Fact<?>> reads(BlockArgs args) {
        return TextFile.reads(args.path());
    }

    @Override
    public Plan plan(BlockArgs args, Facts facts, PlanContext ctx) throws TaskException {
        String before = TextFile.read(facts, args.path(), "blockinfile", StandardCharsets.UTF_8);
        if (before == null) {
            if (!args.create()) throw new TaskException("path " + args.path() + " does not exist (create: true creates it)");
            if (!args.present()) return Plan.converged().withResult(Map.of("msg", "File " + args.path() + " not present"));
        }
        String after = edit(before, args);
        Plan.Builder b = TextFile.write(args.path(), after, StandardCharsets.UTF_8, args.attrs(), args.validate(), facts, ctx);
        if (!after.equals(before)) {
            boolean inserted = args.present() && !args.block().isEmpty();
            b.result("msg", before == null ? "File created" : inserted ? "Block inserted" : "Block removed");
        }
        return b.build();
    }

    /** The file's new text, per Ansible's blockinfile; {@code original} null: no file yet. */
    static String edit(String original, BlockArgs a) {
        List<String> lines = splitlines(original == null ? "" : original);
        List<String> block = new ArrayList<>();
        if (a.present() && !a.block().isEmpty()) {
            block.add(a.begin());
            block.addAll(splitlines(a.block().endsWith("\n") ? a.block() : a.block() + "\n"));
            block.add(a.end());
        }
        Integer n0 = null;
        Integer n1 = null;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(a.begin())) n0 = i;
            if (lines.get(i).equals(a.end())) n1 = i;
        }
        int at;
        if (n0 == null || n1 == null) {
            at = insertionPoint(original == null ? "" : original, lines, a);
        } else {
            int lo = Math.min(n0, n1);
            lines.subList(lo, Math.max(n0, n1) + 1).clear();
            at = lo;
        }
        if (at > 0 && !lines.get(at - 1).endsWith("\n")) lines.set(at - 1, lines.get(at - 1) + "\n");
        lines.addAll(at, block);
        return String.join("", lines);
    }

    private static int insertionPoint(String original, List<String> lines, BlockArgs a) {
        if (a.anchor() == null) return a.after() ? lines.size() : 0;
        Integer n0 = null;
        if (multiline(a.anchor().pattern())) {
            java.util.regex.Matcher m = a.anchor().matcher(original);
            if (m.find()) n0 = count(original, a.after() ? m.end() : m.start());
        } else {
            for (int i = 0; i < lines.size(); i++) if (a.anchor().matcher(lines.get(i)).find()) n0 = i;
        }
        if (n0 == null) return lines.size();
        return a.after() ? n0 + 1 : n0;
    }

    /** Whether a Python pattern turns MULTILINE on inline, as Ansible checks with {@code insertre.flags & re.MULTILINE}. */
    private static boolean multiline(String pattern) {
        java.util.regex.Matcher m = Pattern.compile("\\(\\?([aiLmsux]+)\\)").matcher(pattern);
        while (m.find()) if (m.group(1).contains("m")) return true;
        return false;
    }

    private static int count(String s, int end) {
        int n = 0;
        for (int i = 0; i < end; i++) if (s.charAt(i) == '\n') n++;
        return n;
    }

    /** Python's {@code splitlines(True)}: lines with their endings ({@code \n}, {@code \r\n} or {@code \r}) kept. */
    static List<String> splitlines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
            if (c == '\n' || c == '\r') {
                out.add(s.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < s.length()) out.add(s.substring(start));
        return out;
    }
}
