package dev.moat.modules.nginx;

import dev.moat.transport.Sh;

import java.util.ArrayList;
import java.util.List;

/**
 * One step that changes nginx's configuration all-or-nothing: it saves the paths it is about to
 * change into a private directory inside nginx's configuration directory (so every rename is
 * atomic and no temp file ever sits where nginx includes {@code sites-enabled/*} or
 * {@code conf.d/*.conf}), applies the operations, runs the layout's test ({@code nginx -t}) and, if
 * anything fails, puts every saved path back and exits 1 with nginx's message on stderr (which
 * the engine reports as the task's failure). The reload is a separate, later step.
 */
public final class ConfigChange {
    /** One change to one path. */
    public sealed interface Op {
        String path();
    }

    /** Write the step's stdin to {@code path} (mode 0644). At most one per change. */
    public record WriteStdin(String path) implements Op {}

    /** Write {@code text} (not secret: it appears in the script) to {@code path} (mode 0644). */
    public record WriteText(String path, String text) implements Op {}

    /** Make {@code path} a symlink to {@code target}. */
    public record Link(String path, String target) implements Op {}

    /** Remove {@code path} (a file or a symlink). */
    public record Remove(String path) implements Op {}

    private ConfigChange() {}

    /**
     * The step script.
     *
     * @param what names the change in messages, e.g. {@code vhost api}
     */
    public static String script(String what, List<Op> ops, NginxLayout layout) {
        if (ops.isEmpty()) throw new IllegalArgumentException("nothing to change");
        if (ops.stream().filter(o -> o instanceof WriteStdin).count() > 1) throw new IllegalArgumentException("one stdin only");
        StringBuilder s = new StringBuilder();
        // nginx's files are root's, written as root: only under directories no other user controls.
        s.append(dev.moat.module.SafeWrite.rootOnly(ops.stream().map(Op::path).toList(), what));
        s.append("b=$(mktemp -d ").append(Sh.q(layout.etc() + "/.moat-change.XXXXXXXX")).append(") || exit 1\n");
        s.append("trap 'rm -rf -- \"$b\"' EXIT\n");
        s.append("save() { if [ -e \"$1\" ] || [ -L \"$1\" ]; then cp -a -- \"$1\" \"$b/old.$2\"; fi; }\n");
        s.append("put_back() { if [ -e \"$b/old.$2\" ] || [ -L \"$b/old.$2\" ]; then mv -f -- \"$b/old.$2\" \"$1\"; else rm -f -- \"$1\"; fi; }\n");
        List<String> saves = new ArrayList<>();
        List<String> backs = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            String p = Sh.q(op.path());
            saves.add("save " + p + " " + i);
            backs.add(0, "put_back " + p + " " + i);
            String tmp = "\"$b/new." + i + "\"";
            if (op instanceof WriteStdin) {
                changes.add("cat > " + tmp + " && chmod 0644 " + tmp + " && mv -f -- " + tmp + " " + p);
            } else if (op instanceof WriteText w) {
                changes.add("printf '%s' " + Sh.q(w.text()) + " > " + tmp + " && chmod 0644 " + tmp + " && mv -f -- " + tmp + " " + p);
            } else if (op instanceof Link l) {
                changes.add("ln -s -- " + Sh.q(l.target()) + " " + tmp + " && mv -f -- " + tmp + " " + p);
            } else {
                changes.add("rm -f -- " + p);
            }
        }
        s.append("restore() { ").append(String.join("; ", backs)).append("; }\n");
        s.append("{ ").append(String.join(" && ", saves)).append("; } || { echo ")
                .append(Sh.q("cannot back up the files of " + what + " before changing them")).append(" >&2; exit 1; }\n");
        s.append("if ! { ").append(String.join(" &&\n  ", changes)).append("; }; then\n");
        s.append("  restore; echo ").append(Sh.q("could not write the files of " + what + "; the previous files are restored")).append(" >&2; exit 1\n");
        s.append("fi\n");
        s.append("if ! out=$(").append(layout.test()).append(" 2>&1); then\n");
        s.append("  restore\n");
        s.append("  if ").append(layout.test()).append(" >/dev/null 2>&1; then why=")
                .append(Sh.q("nginx -t rejected " + what + "; the previous files are restored:")).append("\n");
        s.append("  else why=").append(Sh.q("nginx -t fails with " + what
                + ", and already failed without it (previous files restored; fix nginx's configuration first):")).append("; fi\n");
        s.append("  printf '%s\\n%s\\n' \"$why\" \"$out\" >&2; exit 1\n");
        s.append("fi");
        return s.toString();
    }
}
