package dev.moat.facts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.moat.module.Fact;
import dev.moat.module.FactKeys;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Type, mode and owners of every path in a tree (the root included, symlinks not followed); key
 * {@code tree:PATH}; empty when the root does not exist. Used by {@code file recurse: true}.
 * GNU find's {@code -printf}, one NUL-terminated record per path so any name parses.
 * A touch of {@code file:P} for P inside the tree must invalidate it (see {@link FactKeys}).
 */
public record TreeFact(String path) implements Fact<List<TreeEntry>> {
    public TreeFact {
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("absolute path required: " + path);
    }

    @Override
    public String key() {
        return "tree:" + path;
    }

    @Override
    public String script() {
        String p = Sh.q(path);
        return "if [ -e " + p + " ] || [ -L " + p + " ]; then find " + p + " -printf '%y %m %U %G %u %g %p\\0'; fi";
    }

    @Override
    public List<TreeEntry> parse(FactOutput out) throws TaskException {
        if (out.rc() != 0) throw new TaskException("cannot list " + path + ": " + out.errText().strip());
        List<TreeEntry> entries = new ArrayList<>();
        byte[] b = out.stdout();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] != 0) continue;
            String rec = new String(b, start, i - start, StandardCharsets.UTF_8);
            start = i + 1;
            String[] f = rec.split(" ", 7);
            if (f.length != 7) throw new TaskException("cannot list " + path + ": unexpected record '" + rec + "'");
            entries.add(new TreeEntry(f[6], f[0].charAt(0), String.format("%04o", Integer.parseInt(f[1], 8)),
                    Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f[5]));
        }
        return entries;
    }
}
