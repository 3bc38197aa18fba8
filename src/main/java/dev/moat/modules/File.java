package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.facts.TreeEntry;
import dev.moat.facts.TreeFact;
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
import dev.moat.transport.Sh;

/**
 * A path's kind and attributes: {@code state: file} (must exist; only mode/owners), {@code directory}
 * (created with missing parents, each created directory getting the attributes, as Ansible does),
 * {@code absent} (removed, directories recursively), {@code touch} (created empty if missing; an
 * existing file's times are left alone so reruns stay quiet, like Ansible's
 * {@code modification_time: preserve}), {@code link} (a symlink to {@code src}; an existing file is
 * replaced only with {@code force: true}). {@code recurse: true} applies mode and owners to a
 * directory's whole tree ({@code chmod -R}, {@code chown -R}). Without {@code state}, an existing path
 * keeps its kind and a missing one is an error, as {@code file}.
 *
 * <p>Undo is {@link Undo.RestorePath} of the path, or of the topmost directory it created. For
 * {@code absent} on a directory, and for {@code recurse}, that path is a whole tree: the journal
 * snapshots trees (contents, modes, owners) as well as single files, and restores them whole.
 *
 * <pre>
 * - file:
 *     path: /etc/nginx/auth
 *     state: directory
 *     mode: "0750"
 *     owner: root
 *     group: www-data
 * </pre>
 */
public final class File implements Module<File.FileArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("path", ArgType.STRING).withAliases("dest", "name"),
            ArgSpec.choice("state", null, "file", "directory", "absent", "touch", "link"),
            ArgSpec.optional("src", ArgType.STRING),
            ArgSpec.optional("mode", ArgType.MODE),
            ArgSpec.optional("owner", ArgType.STRING),
            ArgSpec.optional("group", ArgType.STRING),
            ArgSpec.optional("recurse", ArgType.BOOL, false),
            ArgSpec.optional("force", ArgType.BOOL, false));

    /** Validated arguments; {@code state} null means "keep the existing kind". */
    public record FileArgs(String path, String state, String src, Attrs attrs, boolean recurse, boolean force) {}

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public FileArgs bind(Args a) throws ArgException {
        String path = Paths.absolute("path", a.str("path"));
        String state = a.str("state");
        boolean recurse = a.bool("recurse");
        if (state == null && recurse) state = "directory";
        if ("link".equals(state) && a.str("src") == null) throw new ArgException("src", "state: link needs src (the link's target)");
        if (a.str("src") != null && !"link".equals(state)) throw new ArgException("src", "src is only for state: link");
        if (recurse && !"directory".equals(state)) throw new ArgException("recurse", "recurse is only for state: directory");
        if ("absent".equals(state) && Attrs.of(a).any()) {
            throw new ArgException("state", "state: absent takes no mode, owner or group");
        }
        if ("absent".equals(state) && Paths.NEVER_REMOVED.contains(Paths.normalize(path))) {
            throw new ArgException("path", "refusing to remove " + path + (Paths.normalize(path).equals(path) ? "" : " (that is " + Paths.normalize(path) + ")")
                    + ": moat never removes / or a top-level system directory");
        }
        return new FileArgs(path, state, a.str("src"), Attrs.of(a), recurse, a.bool("force"));
    }

    @Override
    public List<Fact<?>> reads(FileArgs args) {
        List<Fact<?>> r = new ArrayList<>();
        r.add(new FileFact(args.path()));
        if ("directory".equals(args.state())) {
            for (String p : ancestors(args.path())) r.add(new FileFact(p));
            if (args.recurse()) r.add(new TreeFact(args.path()));
        }
        return r;
    }

    /** The path's ancestors, nearest first, "/" excluded. */
    static List<String> ancestors(String path) {
        List<String> out = new ArrayList<>();
        for (String p = FileWrite.parentOf(path); !p.equals("/"); p = FileWrite.parentOf(p)) out.add(p);
        return out;
    }

    @Override
    public Plan plan(FileArgs args, Facts facts, PlanContext ctx) throws TaskException {
        FileState cur = facts.get(new FileFact(args.path()));
        String state = args.state();
        if (state == null) state = cur.isDirectory() ? "directory" : cur.isLink() ? "link-attrs" : "file";
        Plan.Builder b = Plan.builder();
        switch (state) {
            case "absent": absent(b, args, cur); break;
            case "directory": directory(b, args, cur, facts); break;
            case "touch": touch(b, args, cur); break;
            case "link": link(b, args, cur); break;
            case "link-attrs": attrs(b, args, cur); break;
            default: file(b, args, cur);
        }
        if (b.hasSteps()) b.writes(args.path());
        return b.build();
    }

    private static void absent(Plan.Builder b, FileArgs args, FileState cur) {
        if (!cur.exists()) return;
        String p = args.path();
        b.step(Step.run("remove " + p, "rm -rf -- " + Sh.q(p)));
        b.diff(Diff.of(p, kind(cur), "absent"));
        b.undo(new Undo.RestorePath(p));
        b.touches("file:" + p);
    }

    private static void file(Plan.Builder b, FileArgs args, FileState cur) throws TaskException {
        String p = args.path();
        if (!cur.exists()) throw new TaskException("file " + p + " does not exist (state: touch creates it)");
        if (!cur.isFile()) throw new TaskException(p + " is a " + kind(cur) + ", not a file");
        attrs(b, args, cur);
    }

    private static void attrs(Plan.Builder b, FileArgs args, FileState cur) {
        args.attrs().plan(b, args.path(), cur.mode(), cur.isDirectory(), cur.isLink(), cur.owner(), cur.uid(),
                cur.group(), cur.gid());
    }

    private static void touch(Plan.Builder b, FileArgs args, FileState cur) {
        String p = args.path();
        if (cur.exists()) {
            attrs(b, args, cur);
            return;
        }
        b.step(Step.run("create " + p, "touch -- " + Sh.q(p) + "\n" + args.attrs().applyLines(Sh.q(p))));
        b.diff(Diff.of(p, "absent", "file"));
        b.undo(new Undo.RestorePath(p));
        b.touches("file:" + p);
    }

    private static void link(Plan.Builder b, FileArgs args, FileState cur) throws TaskException {
        String p = args.path();
        String src = args.src();
        if (cur.isLink() && src.equals(cur.linkTarget())) {
            attrs(b, args, cur);
            return;
        }
        String script;
        if (!cur.exists()) script = "ln -s -- " + Sh.q(src) + " " + Sh.q(p);
        else if (cur.isLink()) script = "ln -sfn -- " + Sh.q(src) + " " + Sh.q(p);
        else if (cur.isDirectory()) throw new TaskException(p + " is a directory; it cannot become a link");
        else if (!args.force()) throw new TaskException(p + " exists and is a " + kind(cur) + "; set force: true to replace it with a link");
        else script = "rm -f -- " + Sh.q(p) + " && ln -s -- " + Sh.q(src) + " " + Sh.q(p);
        Attrs owners = new Attrs(null, args.attrs().owner(), args.attrs().group());
        b.step(Step.run("link " + p + " -> " + src, script + "\n" + owners.applyLines(Sh.q(p))));
        b.diff(Diff.of(p, kind(cur), "symlink to " + src));
        b.undo(new Undo.RestorePath(p));
        b.touches("file:" + p);
    }

    private static void directory(Plan.Builder b, FileArgs args, FileState cur, Facts facts) throws TaskException {
        String p = args.path();
        if (cur.isDirectory()) {
            if (args.recurse()) recurse(b, args, facts.get(new TreeFact(p)));
            else attrs(b, args, cur);
            return;
        }
        if (cur.exists()) throw new TaskException(p + " exists and is a " + kind(cur) + ", not a directory");
        List<String> created = new ArrayList<>();
        created.add(p);
        for (String a : ancestors(p)) {
            FileState s = facts.get(new FileFact(a));
            if (s.isDirectory()) break;
            if (s.exists() && !s.isLink()) throw new TaskException("cannot create " + p + ": " + a + " is a " + kind(s));
            if (s.isLink()) break; // a link to a directory, presumably; mkdir -p says otherwise
            created.add(a);
        }
        StringBuilder script = new StringBuilder("mkdir -p -- ").append(Sh.q(p)).append('\n');
        for (int i = created.size() - 1; i >= 0; i--) script.append(args.attrs().applyLines(Sh.q(created.get(i))));
        String top = created.get(created.size() - 1);
        b.step(Step.run("create directory " + p, script.toString().strip()));
        b.diff(Diff.of(p, "absent", "directory"));
        b.undo(new Undo.RestorePath(top));
        b.touches("file:" + top);
        if (!top.equals(p)) b.touches("file:" + p);
    }

    private static void recurse(Plan.Builder b, FileArgs args, List<TreeEntry> tree) {
        Attrs a = args.attrs();
        List<String> modeOff = new ArrayList<>();
        List<String> ownerOff = new ArrayList<>();
        for (TreeEntry e : tree) {
            if (a.mode() != null && !e.isLink() && !Modes.apply(a.mode(), e.mode(), e.isDirectory()).equals(e.mode())) {
                modeOff.add(e.path() + " " + e.mode());
            }
            if ((a.owner() != null && !Attrs.sameId(a.owner(), e.owner(), e.uid()))
                    || (a.group() != null && !Attrs.sameId(a.group(), e.group(), e.gid()))) {
                ownerOff.add(e.path() + " " + e.owner() + ":" + e.group());
            }
        }
        String p = args.path();
        if (!modeOff.isEmpty()) b.step(Step.run("chmod -R " + a.mode() + " " + p, "chmod -R " + Sh.q(a.mode()) + " -- " + Sh.q(p)));
        if (!ownerOff.isEmpty()) {
            String spec = (a.owner() != null ? a.owner() : "") + (a.group() != null ? ":" + a.group() : "");
            b.step(Step.run("chown -R " + spec + " " + p, "chown -R -h " + Sh.q(spec) + " -- " + Sh.q(p)));
        }
        if (modeOff.isEmpty() && ownerOff.isEmpty()) return;
        List<String> before = new ArrayList<>(modeOff);
        before.addAll(ownerOff);
        String want = (a.mode() != null ? "mode " + a.mode() + " " : "")
                + (a.owner() != null ? "owner " + a.owner() + " " : "") + (a.group() != null ? "group " + a.group() : "");
        b.diff(Diff.of(p + " (recursive)", summary(before), "every path: " + want.strip() + "\n"));
        b.undo(new Undo.RestorePath(p));
        b.touches("file:" + p);
    }

    private static String summary(List<String> lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines.size() && i < 20; i++) s.append(lines.get(i)).append('\n');
        if (lines.size() > 20) s.append("... and ").append(lines.size() - 20).append(" more\n");
        return s.toString();
    }

    static String kind(FileState s) {
        switch (s.type()) {
            case ABSENT: return "absent";
            case FILE: return "file";
            case DIRECTORY: return "directory";
            case LINK: return "symlink to " + s.linkTarget();
            default: return "special file";
        }
    }
}
