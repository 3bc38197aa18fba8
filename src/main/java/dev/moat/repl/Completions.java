package dev.moat.repl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Module;
import dev.moat.module.Spec;

/**
 * What Tab offers for the word under the cursor: the shell's commands, module names, a module's
 * argument names ({@code dest=}) and the values known for them (choices, booleans), paths on the
 * host for a word starting with {@code /}, and local files for {@code :play} and {@code :drift}.
 * Pure apart from the listings; JLine's adapter is {@link ShellCompleter}.
 */
final class Completions {
    /**
     * One completion. {@code complete} is false where more typing follows at once (a directory,
     * {@code key=}), so no space is added after it.
     */
    record Candidate(String value, boolean complete) {}

    private static final List<String> ON_OFF = List.of("on", "off");
    private static final List<String> BOOLS = List.of("true", "false");

    private final Map<String, Module<?>> modules;
    private final RemotePaths remote;

    Completions(Map<String, Module<?>> modules, RemotePaths remote) {
        this.modules = modules;
        this.remote = remote;
    }

    /**
     * @param words     the line's words up to the cursor's, as the line reader split them (unquoted)
     * @param wordIndex which of them the cursor is in
     * @param word      that word up to the cursor
     */
    List<Candidate> candidates(List<String> words, int wordIndex, String word) {
        List<Candidate> out = new ArrayList<>();
        if (wordIndex == 0) {
            if (word.startsWith(":")) {
                for (String c : Help.COMMANDS.keySet()) add(out, c, word, true);
            } else if (!word.startsWith("!")) {
                for (String m : modules.keySet()) add(out, m, word, true);
                if (word.isEmpty()) for (String c : Help.COMMANDS.keySet()) out.add(new Candidate(c, true));
            }
            return out;
        }
        String first = words.get(0);
        if (first.startsWith("!")) {
            if (word.startsWith("/")) paths(out, "", word);
            return out;
        }
        switch (first) {
            case ":help":
                if (wordIndex == 1) for (String m : modules.keySet()) add(out, m, word, true);
                return out;
            case ":check":
            case ":diff":
                if (wordIndex == 1) for (String v : ON_OFF) add(out, v, word, true);
                return out;
            case ":play":
            case ":drift":
                if (wordIndex == 1) localFiles(out, word);
                return out;
            default:
                break;
        }
        Module<?> m = modules.get(LineParser.shortName(first));
        if (m == null) return out;
        Spec spec = m.spec();
        int eq = word.indexOf('=');
        if (eq > 0) {
            String key = word.substring(0, eq);
            String value = word.substring(eq + 1);
            Optional<ArgSpec> a = spec.find(key);
            if (a.isEmpty()) return out;
            List<String> values = new ArrayList<>(a.get().choices());
            if (values.isEmpty() && a.get().type() == ArgType.BOOL) values.addAll(BOOLS);
            for (String v : values) add(out, key + "=" + v, word, true);
            if (values.isEmpty() && value.startsWith("/")) paths(out, key + "=", value);
            return out;
        }
        Set<String> given = new HashSet<>();
        for (int i = 1; i < words.size(); i++) {
            if (i == wordIndex) continue;
            int e = words.get(i).indexOf('=');
            if (e > 0) spec.find(words.get(i).substring(0, e)).ifPresent(a -> given.add(a.name()));
        }
        for (ArgSpec a : spec.args()) {
            if (given.contains(a.name())) continue;
            add(out, a.name() + "=", word, false);
        }
        if (word.startsWith("/")) paths(out, "", word);
        return out;
    }

    private void paths(List<Candidate> out, String lead, String prefix) {
        if (remote == null) return;
        for (String p : remote.complete(prefix)) out.add(new Candidate(lead + p, !p.endsWith("/")));
    }

    private static void localFiles(List<Candidate> out, String word) {
        String w = word.startsWith("~/") ? System.getProperty("user.home") + word.substring(1) : word;
        int slash = w.lastIndexOf('/');
        String dirText = slash < 0 ? "" : w.substring(0, slash + 1);
        String base = slash < 0 ? w : w.substring(slash + 1);
        Path dir = dirText.isEmpty() ? Path.of(".") : Path.of(dirText);
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (!name.startsWith(base) || (name.startsWith(".") && !base.startsWith("."))) continue;
                boolean isDir = Files.isDirectory(p);
                out.add(new Candidate(dirText + name + (isDir ? "/" : ""), !isDir));
            }
        } catch (IOException | RuntimeException e) {
            // nothing to offer from an unreadable directory
        }
        out.sort(java.util.Comparator.comparing(Candidate::value));
    }

    private static void add(List<Candidate> out, String value, String word, boolean complete) {
        if (value.startsWith(word)) out.add(new Candidate(value, complete));
    }
}
