package dev.moat.modules;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.journal.Undo;
import dev.moat.module.Diff;
import dev.moat.module.Plan;
import dev.moat.module.SafeWrite;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;


/**
 * Plans putting whole content at a path, shared by {@code copy}, {@code template} and
 * {@code lineinfile}: an atomic write (a temp file in the destination's directory filled from stdin,
 * mode and owners set, optionally validated, then {@code mv -f} over the destination), or only
 * chmod/chown when the content is already right. A new file gets the umask's default mode; an existing
 * file keeps its mode and owners unless the task sets them.
 */
final class FileWrite {
    private FileWrite() {}

    static String parentOf(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    /**
     * Adds to {@code b} what brings {@code dest} to {@code content} with {@code attrs}.
     *
     * @param validate a command with {@code %s} for the temp file, or null
     * @param check    a check run: a missing parent directory is not an error (an earlier task may create it)
     */
    static void plan(Plan.Builder b, String dest, byte[] content, Attrs attrs, String validate,
                     FileState cur, FileState parent, boolean check) throws TaskException {
        if (cur.isDirectory()) throw new TaskException("destination " + dest + " is a directory");
        if (cur.exists() && !cur.isFile() && !cur.isLink()) throw new TaskException("destination " + dest + " is not a regular file");
        if (!parent.isDirectory() && !check) {
            throw new TaskException("parent directory " + parent.path() + " of " + dest
                    + (parent.exists() ? " is not a directory" : " does not exist"));
        }
        String sum = FileFact.sha256(content);
        boolean same = cur.isFile() && sum.equals(cur.sha256());
        if (same) {
            attrs.plan(b, dest, cur.mode(), false, false, cur.owner(), cur.uid(), cur.group(), cur.gid());
            return;
        }
        b.step(new Step("write " + dest + " (" + content.length + " bytes)", writeScript(dest, attrs, validate, cur),
                content, false));
        String want = finalMode(attrs, cur);
        // A file only root (or its group) may read keeps its contents out of every output: both sides.
        boolean secret = Diff.secretFile(dest, want) || cur.isFile() && Diff.secretFile(dest, cur.mode());
        b.diff(secret ? new Diff(dest, dest, null, null, true) : Diff.file(dest, describe(cur), describe(content)));
        if (cur.isFile() && want != null && !want.equals(cur.mode())) b.diff(Diff.of(dest, "mode " + cur.mode(), "mode " + want));
        b.undo(new Undo.RestorePath(dest));
        b.touches("file:" + dest);
        b.writes(dest);
    }

    /** The mode {@code dest} will have: the task's, else the file's own; null for a new file left to the umask. */
    static String finalMode(Attrs attrs, FileState cur) {
        String base = cur.isFile() ? cur.mode() : null;
        if (attrs.mode() == null) return base;
        return Modes.apply(attrs.mode(), base == null ? "644" : base, false);
    }

    /**
     * The write, through {@link SafeWrite}: a private temporary directory beside {@code dest}, the
     * final mode and owner set there, then one rename; as the directory's owner where a user other
     * than root controls it. An existing file keeps its mode and owner unless {@code attrs} say
     * otherwise; a symlink at {@code dest} is replaced, never written through.
     */
    static String writeScript(String dest, Attrs attrs, String validate, FileState cur) {
        StringBuilder onTemp = new StringBuilder(attrs.applyLines("\"$t/new\""));
        if (validate != null) {
            onTemp.append("if ! { ").append(validate.replace("%s", "\"$t/new\"")).append(" ; } >&2; then echo ")
                    .append(Sh.q("validation failed: " + validate)).append(" >&2; exit 1; fi\n");
        }
        return SafeWrite.create(dest, onTemp.toString(), "write");
    }

    /** A file's content for a diff: its text, or a one-line summary when binary, too big or not a file. */
    static String describe(FileState cur) {
        if (!cur.exists()) return "";
        if (cur.isLink()) return "(symlink to " + cur.linkTarget() + ")\n";
        if (cur.overCap()) return "(" + cur.size() + " bytes, sha256 " + cur.sha256() + ", not shown)\n";
        String t = cur.text();
        return t != null ? t : "(binary, " + cur.size() + " bytes, sha256 " + cur.sha256() + ")\n";
    }

    static String describe(byte[] content) {
        String t = content.length > FileFact.CAP ? null : FileState.textOf(content);
        if (t != null) return t;
        return "(" + (content.length > FileFact.CAP ? "" : "binary, ") + content.length + " bytes, sha256 "
                + FileFact.sha256(content) + ")\n";
    }
}
