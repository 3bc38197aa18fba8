package dev.moat.modules.system;

import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Every regular file directly in a directory, with its content: what {@code modprobe} scans in
 * /etc/modules-load.d and /etc/modprobe.d (Python's {@code os.listdir} and {@code os.path.isfile},
 * so hidden files count and a symlink to a file counts). Key {@code tree:DIR/}, a tree key, so
 * writing any file inside makes it stale. Empty when the directory does not exist.
 * Output per file: {@code MODE UID GID SIZE USER GROUP BASE64} then the path, each on its own line.
 */
public record DirFilesFact(String dir) implements Fact<Map<String, FileState>> {
    public DirFilesFact {
        if (dir == null || !dir.startsWith("/") || dir.endsWith("/")) throw new IllegalArgumentException("absolute directory required: " + dir);
    }

    @Override
    public String key() {
        return "tree:" + dir + "/";
    }

    @Override
    public String script() {
        return "[ -d " + Sh.q(dir) + " ] && find " + Sh.q(dir) + " -mindepth 1 -maxdepth 1 -exec sh -c "
                + Sh.q("for p; do [ -f \"$p\" ] || continue; printf '%s %s\\n%s\\n' \"$(stat -L -c '%a %u %g %s %U %G' -- \"$p\")\" "
                        + "\"$(base64 -w0 < \"$p\")\" \"$p\"; done")
                + " sh {} +; :";
    }

    @Override
    public Map<String, FileState> parse(FactOutput out) throws TaskException {
        Map<String, FileState> files = new TreeMap<>();
        String[] lines = out.text().split("\n");
        for (int i = 0; i + 1 < lines.length; i += 2) {
            String[] f = lines[i].split(" ", -1);
            if (f.length != 7) throw new TaskException("cannot list " + dir + ": unexpected line '" + lines[i] + "'");
            byte[] content = Base64.getDecoder().decode(f[6]);
            String path = lines[i + 1];
            files.put(path, new FileState(path, FileState.Type.FILE, String.format("%04o", Integer.parseInt(f[0], 8)),
                    Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[4], f[5], content.length, null, content,
                    FileFact.sha256(content), false));
        }
        return files;
    }

    /** The text of a file read here, or null when it is not UTF-8 text. */
    public static String text(FileState f) {
        return f.content() == null ? null : FileState.textOf(f.content());
    }
}
