package dev.moat.modules;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.TaskException;

/**
 * A text file edited whole on the host, shared by {@code replace}, {@code blockinfile} and
 * {@code ini_file}: the reads (the file and its directory), the current text decoded in the task's
 * encoding, and the new text planned through {@link FileWrite} (atomic, undo restores the file).
 */
final class TextFile {
    private TextFile() {}

    /** Ansible's {@code backup: true}: moat keeps the previous file in its run journal instead. */
    static void refuseBackup(Args a) throws ArgException {
        if (a.bool("backup")) {
            throw new ArgException("backup", "backup is not supported: moat's run journal keeps the previous file (moat rollback)");
        }
    }

    /** The charset an {@code encoding} argument names (Python's names where Java spells them otherwise). */
    static Charset charset(String arg, String name) throws ArgException {
        String n = name.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (n.equals("latin-1") || n.equals("latin1")) n = "ISO-8859-1";
        try {
            return Charset.forName(n);
        } catch (IllegalArgumentException e) {
            throw new ArgException(arg, "argument '" + arg + "' is '" + name + "', not an encoding this controller knows");
        }
    }

    /** What a module that writes {@code path} reads: the file and its parent directory. */
    static List<Fact<?>> reads(String path) {
        return List.of(new FileFact(path), new FileFact(FileWrite.parentOf(path)));
    }

    /** The file's text, or null when it does not exist; fails on a directory, a link, a too big or undecodable file. */
    static String read(Facts facts, String path, String module, Charset cs) throws TaskException {
        FileState cur = facts.get(new FileFact(path));
        if (!cur.exists()) return null;
        if (cur.isDirectory()) throw new TaskException("path " + path + " is a directory");
        if (!cur.isFile()) throw new TaskException(path + " is not a regular file");
        if (cur.overCap()) throw new TaskException(path + " is too big for " + module + " (" + cur.size() + " bytes)");
        try {
            if (cs.equals(StandardCharsets.UTF_8) && FileState.textOf(cur.content()) == null) throw new CharacterCodingException();
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(cur.content())).toString();
        } catch (CharacterCodingException e) {
            throw new TaskException(path + " is not " + cs.name() + " text");
        }
    }

    /** The plan that makes {@code path} hold {@code text} with {@code attrs}; converged when it already does. */
    static Plan.Builder write(String path, String text, Charset cs, Attrs attrs, String validate, Facts facts, PlanContext ctx)
            throws TaskException {
        Plan.Builder b = Plan.builder();
        FileWrite.plan(b, path, text.getBytes(cs), attrs, validate, facts.get(new FileFact(path)),
                facts.get(new FileFact(FileWrite.parentOf(path))), ctx.check());
        return b;
    }
}
