package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.facts.FileFact;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * The read behind {@code find}: every entry under one directory, down to {@code maxDepth} levels
 * (null: all), with its stat; the SHA-1 of each regular file ({@code checksum}); the regular files
 * that {@code contains} matches ({@code grep -P}, per line from its start as Python's
 * {@code re.match}, or over the whole file). Key {@code find+OPTIONS:PATH}, so a change under the
 * path makes it read again.
 *
 * <p>Output, NUL-terminated records: {@code N} and the host's time (age is measured on the host's
 * clock, as Ansible does), then {@code X} (not a directory), or {@code T} (more than {@link #LIMIT}
 * entries: nothing more is read), or one {@code E} record per entry ({@code find -printf}), then
 * {@code C} records ({@code sha1sum -z}) and {@code G} records (file names grep matched).
 */
record FindRead(String path, Integer maxDepth, boolean follow, boolean checksum, String contains, boolean wholeFile)
        implements Fact<FindRead.Listing> {
    /** Entries one path may hold; past that the task fails instead of reading them all. */
    static final int LIMIT = 20000;

    /** One entry: find's type letter ('f', 'd', 'l', ...), stat numbers, times as text, owner names, path. */
    record Entry(char type, int mode, long uid, long gid, long size, long inode, long dev, long nlink, String atime, String mtime,
                 String ctime, String owner, String group, String path) {
        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }

        /** Ansible's depth: 1 for an entry directly under {@code root}. */
        int depth(String root) {
            String r = root.endsWith("/") ? root : root + "/";
            return (int) (path.chars().filter(c -> c == '/').count() - r.chars().filter(c -> c == '/').count() + 1);
        }

        double time(String stamp) {
            return Stat.Read.seconds(stamp.equals("atime") ? atime : stamp.equals("ctime") ? ctime : mtime);
        }

        /** The entry as Ansible's find returns it ({@code statinfo}), with {@code checksum} when given. */
        Map<String, Object> result(String sha1) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("path", Paths.normalize(path));
            r.put("mode", String.format("%04o", mode & 07777));
            r.put("isdir", type == 'd');
            r.put("ischr", type == 'c');
            r.put("isblk", type == 'b');
            r.put("isreg", type == 'f');
            r.put("isfifo", type == 'p');
            r.put("islnk", type == 'l');
            r.put("issock", type == 's');
            r.put("uid", uid);
            r.put("gid", gid);
            r.put("size", size);
            r.put("inode", inode);
            r.put("dev", dev);
            r.put("nlink", nlink);
            r.put("atime", time("atime"));
            r.put("mtime", time("mtime"));
            r.put("ctime", time("ctime"));
            r.put("gr_name", group);
            r.put("pw_name", owner);
            String[] bits = {"wusr", "rusr", "xusr", "wgrp", "rgrp", "xgrp", "woth", "roth", "xoth", "isuid", "isgid"};
            int[] masks = {0200, 0400, 0100, 020, 040, 010, 02, 04, 01, 04000, 02000};
            for (int i = 0; i < bits.length; i++) r.put(bits[i], (mode & masks[i]) != 0);
            if (sha1 != null) r.put("checksum", sha1);
            return r;
        }
    }

    /** What was read under one path. */
    record Listing(double now, boolean notDirectory, List<Entry> entries, Map<String, String> checksums, Set<String> containing) {}

    @Override
    public String key() {
        String opts = (maxDepth == null ? "" : "d" + maxDepth) + (follow ? "L" : "") + (checksum ? "sha1" : "")
                + (contains == null ? "" : (wholeFile ? "w" : "l") + contains);
        return "find+" + FileFact.sha256(opts.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ":" + path;
    }

    @Override
    public String script() {
        String walk = "find " + (follow ? "-L " : "") + "\"$p\" -mindepth 1" + (maxDepth == null ? "" : " -maxdepth " + maxDepth);
        StringBuilder s = new StringBuilder("p=").append(Sh.q(path)).append('\n')
                .append("printf 'N%s\\0' \"$(date +%s.%N)\"\n")
                .append("if [ ! -d \"$p\" ]; then printf 'X\\0'\n")
                .append("elif [ \"$(").append(walk).append(" -printf x 2>/dev/null | head -c ").append(LIMIT + 1)
                .append(" | wc -c)\" -gt ").append(LIMIT).append(" ]; then printf 'T\\0'\n")
                .append("else\n")
                .append(walk).append(" -printf 'E%y %m %U %G %s %i %D %n %A@ %T@ %C@ %u %g %p\\0'\n");
        if (checksum) s.append(walk).append(" -type f -exec sha1sum -z -- {} + | sed -z 's/^/C/'\n");
        if (contains != null) {
            String pattern = wholeFile ? contains : "^(?:" + contains + ")";
            s.append(walk).append(" -type f -exec grep -lZP").append(wholeFile ? "z" : "").append(" -e ").append(Sh.q(pattern))
                    .append(" -- {} + 2>/dev/null | sed -z 's/^/G/'\n");
        }
        return s.append("fi; true").toString();
    }

    @Override
    public Listing parse(FactOutput out) throws TaskException {
        byte[] b = out.stdout();
        double now = 0;
        boolean notDir = false;
        List<Entry> entries = new ArrayList<>();
        Map<String, String> sums = new HashMap<>();
        Set<String> containing = new HashSet<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] != 0) continue;
            String rec = new String(b, start, i - start, StandardCharsets.UTF_8);
            start = i + 1;
            if (rec.isEmpty()) continue;
            String body = rec.substring(1);
            switch (rec.charAt(0)) {
                case 'N': now = Stat.Read.seconds(body.strip()); break;
                case 'X': notDir = true; break;
                case 'T':
                    throw new TaskException("find: more than " + LIMIT + " entries under " + path
                            + "; narrow it (other paths, recurse: false or a depth)");
                case 'E': entries.add(entry(body)); break;
                case 'C': sums.put(body.substring(body.indexOf("  ") + 2), body.substring(0, body.indexOf(' '))); break;
                case 'G': containing.add(body); break;
                default: throw new TaskException("cannot list " + path + ": unexpected record '" + rec + "'");
            }
        }
        if (now == 0) throw new TaskException("cannot list " + path + ": " + out.errText().strip());
        return new Listing(now, notDir, entries, sums, containing);
    }

    private Entry entry(String rec) throws TaskException {
        String[] f = rec.split(" ", 14);
        if (f.length != 14) throw new TaskException("cannot list " + path + ": unexpected record '" + rec + "'");
        try {
            return new Entry(f[0].charAt(0), Integer.parseInt(f[1], 8), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), f[8], f[9], f[10],
                    name(f[11], f[2]), name(f[12], f[3]), f[13]);
        } catch (NumberFormatException e) {
            throw new TaskException("cannot list " + path + ": unexpected record '" + rec + "'");
        }
    }

    /** find prints the number for an id without a name; Ansible gives "" then. */
    private static String name(String printed, String id) {
        return printed.equals(id) ? "" : printed;
    }
}
