package dev.moat.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A checksummed listing of a host's files: for every path its type, mode, owner and group, a
 * symlink's target and a regular file's SHA-256. Two listings taken before and after a command
 * tell exactly which files it touched (e.g. {@code moat --check} must touch none).
 */
public record Listing(SortedMap<String, String> entries) {
    public Listing {
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    /** The shell script that prints a listing of {@code paths} (absolute, no whitespace or quotes). */
    public static String script(String... paths) {
        if (paths.length == 0) {
            throw new IllegalArgumentException("no paths to list");
        }
        StringBuilder quoted = new StringBuilder();
        for (String p : paths) {
            if (!p.startsWith("/") || !p.matches("[A-Za-z0-9_./@+-]+")) {
                throw new IllegalArgumentException("not a plain absolute path: " + p);
            }
            quoted.append(' ').append(p);
        }
        return "set -e; ex=''; for p in" + quoted + "; do if [ -e \"$p\" ] || [ -L \"$p\" ]; then ex=\"$ex $p\"; fi; done; "
                + "[ -n \"$ex\" ] || exit 0; "
                + "find $ex -xdev -printf 'M\\t%y\\t%m\\t%u:%g\\t%p\\t%l\\n'; "
                + "find $ex -xdev -type f -print0 | xargs -0 -r sha256sum | sed 's/^/S\\t/'";
    }

    /** Parses what {@link #script} printed. */
    public static Listing parse(String output) {
        SortedMap<String, String> meta = new TreeMap<>();
        Map<String, String> sums = new TreeMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("M\t")) {
                String[] f = line.split("\t", -1);
                if (f.length != 6) {
                    throw new IllegalArgumentException("bad listing line: " + line);
                }
                String what = f[1] + " " + f[2] + " " + f[3] + (f[5].isEmpty() ? "" : " -> " + f[5]);
                meta.put(f[4], what);
            } else if (line.startsWith("S\t")) {
                String rest = line.substring(2);
                if (rest.length() < 67) {
                    throw new IllegalArgumentException("bad checksum line: " + line);
                }
                sums.put(rest.substring(66), rest.substring(0, 64));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("unexpected listing line: " + line);
            }
        }
        SortedMap<String, String> all = new TreeMap<>();
        meta.forEach((path, what) -> all.put(path, sums.containsKey(path) ? what + " sha256:" + sums.get(path) : what));
        return new Listing(all);
    }

    /** This listing without the paths {@code drop} matches (e.g. logs that legitimately change). */
    public Listing without(Predicate<String> drop) {
        SortedMap<String, String> kept = new TreeMap<>(entries);
        kept.keySet().removeIf(drop);
        return new Listing(kept);
    }

    /** Every difference from this listing to {@code after}, one readable line each, sorted by path. */
    public List<String> differences(Listing after) {
        List<String> out = new ArrayList<>();
        TreeMap<String, String> paths = new TreeMap<>(entries);
        paths.putAll(after.entries());
        for (String path : paths.keySet()) {
            String b = entries.get(path);
            String a = after.entries().get(path);
            if (b == null) {
                out.add("added   " + path + "  " + a);
            } else if (a == null) {
                out.add("removed " + path + "  " + b);
            } else if (!a.equals(b)) {
                out.add("changed " + path + "  " + b + "  =>  " + a);
            }
        }
        return out;
    }
}
