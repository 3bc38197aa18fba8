package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

import dev.moat.journal.Undo;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.transport.Sh;

/**
 * The wanted mode, owner and group of a path (each null when not managed), and the {@code chmod} /
 * {@code chown} steps that bring an existing path to them. Owners compare by name or by numeric id.
 */
public record Attrs(String mode, String owner, String group) {
    static final Attrs NONE = new Attrs(null, null, null);

    /**
     * The arguments' mode, owner and group. An owner or group is a user or group name (as
     * {@code useradd} allows them) or a number, never something {@code chown} would read as an
     * option ({@code -R}) or that a shell would split.
     */
    static Attrs of(dev.moat.module.Args a) throws dev.moat.module.ArgException {
        return new Attrs(a.str("mode"), name(a, "owner"), name(a, "group"));
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?");

    private static String name(dev.moat.module.Args a, String arg) throws dev.moat.module.ArgException {
        String v = a.str(arg);
        if (v != null && (v.length() > 64 || !NAME.matcher(v).matches())) {
            throw new dev.moat.module.ArgException(arg, "argument '" + arg + "' is '" + v + "', not a user or group name");
        }
        return v;
    }

    boolean any() {
        return mode != null || owner != null || group != null;
    }

    static boolean sameId(String wanted, String name, int id) {
        return wanted.equals(name) || wanted.equals(String.valueOf(id));
    }

    /**
     * Adds the steps that fix an existing path's attributes (with a before/after diff, undo
     * RestorePath and the touch); true when anything differs.
     */
    boolean plan(Plan.Builder b, String path, String curMode, boolean directory, boolean link,
                 String curOwner, int uid, String curGroup, int gid) {
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        boolean changed = false;
        // A symlink's own mode means nothing on Linux.
        if (mode != null && !link) {
            String want = Modes.apply(mode, curMode, directory);
            if (!want.equals(curMode)) {
                b.step(Step.run("chmod " + want + " " + path, "chmod " + Sh.q(mode) + " -- " + Sh.q(path)));
                before.add("mode " + curMode);
                after.add("mode " + want);
                changed = true;
            }
        }
        boolean o = owner != null && !sameId(owner, curOwner, uid);
        boolean g = group != null && !sameId(group, curGroup, gid);
        if (o || g) {
            String spec = (o ? owner : "") + (g ? ":" + group : "");
            b.step(Step.run("chown " + spec + " " + path, "chown -h " + Sh.q(spec) + " -- " + Sh.q(path)));
            if (o) { before.add("owner " + curOwner); after.add("owner " + owner); }
            if (g) { before.add("group " + curGroup); after.add("group " + group); }
            changed = true;
        }
        if (changed) {
            b.diff(Diff.of(path, String.join(", ", before), String.join(", ", after)));
            b.undo(new Undo.RestorePath(path));
            b.touches("file:" + path);
            b.writes(path);
        }
        return changed;
    }

    /** Shell lines that give a freshly created {@code target} (a shell word, e.g. {@code "$t"}) these attributes. */
    String applyLines(String target) {
        StringBuilder s = new StringBuilder();
        if (mode != null) s.append("chmod ").append(Sh.q(mode)).append(' ').append(target).append('\n');
        if (owner != null || group != null) {
            String spec = (owner != null ? owner : "") + (group != null ? ":" + group : "");
            s.append("chown -h ").append(Sh.q(spec)).append(' ').append(target).append('\n');
        }
        return s.toString();
    }
}
