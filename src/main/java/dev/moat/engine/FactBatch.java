package dev.moat.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.PathRead;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Many facts read in one remote script: the performance core of moat. Each fact's snippet runs in
 * a subshell with stdin closed; its stdout and stderr go to temporary files. At the end one
 * {@code wc -c} gives every file's length and one {@code cat} prints them all, so output is framed
 * exactly whatever bytes it holds, at the cost of one fork per fact and three processes per batch
 * (host CPU matters: every process costs the host about a millisecond):
 * <pre>@@moat N\nRC0 RC1 ...\n&lt;wc -c lines: LEN FILE, 2N of them, then total&gt;\n&lt;out0&gt;&lt;err0&gt;&lt;out1&gt;...</pre>
 * Facts that only stat and read a path ({@link PathRead}) are read together first, with one
 * {@code stat}, one {@code cat} and a second {@code stat} proving nothing changed; a fact's file then
 * holds only its header ({@code @@m file ...}) and the bytes follow the last fact's files, as one
 * more file ({@code $T/mc}, one more {@code wc -c} line) split by the sizes in the headers.
 */
public final class FactBatch {
    private static final String HEADER = "@@moat ";
    private static final byte[] MERGED = "@@m ".getBytes(StandardCharsets.US_ASCII);

    private FactBatch() {}

    /** The POSIX sh script that reads every fact in order. */
    public static String script(List<? extends Fact<?>> facts) {
        StringBuilder sb = new StringBuilder(256 + facts.size() * 128);
        sb.append("T=$(mktemp -d \"${TMPDIR:-/tmp}/moat.XXXXXX\") || exit 97\n");
        sb.append("trap 'rm -rf \"$T\"' EXIT\n");
        sb.append("LC_ALL=C; export LC_ALL; moat_memo=$T\n");
        boolean[] merged = merged(facts);
        boolean anyMerged = any(merged);
        if (anyMerged) paths(sb, facts, merged);
        StringBuilder rcs = new StringBuilder();
        StringBuilder files = new StringBuilder();
        for (int i = 0; i < facts.size(); i++) {
            if (merged[i]) sb.append("if [ \"$_mM\" = 1 ] || [ \"$_m").append(i).append("\" = s ]; then ");
            sb.append("(\n").append(facts.get(i).script()).append("\n) </dev/null >\"$T/").append(i).append("o\" 2>\"$T/")
              .append(i).append("e\"; r").append(i).append("=$?");
            if (merged[i]) {
                sb.append("\nelse [ \"$_m").append(i).append("\" != a ] || echo absent >\"$T/").append(i).append("o\"; : >\"$T/")
                  .append(i).append("e\"; r").append(i).append("=0; fi");
            }
            sb.append('\n');
            rcs.append(i == 0 ? "" : " ").append("$r").append(i);
            files.append(" \"$T/").append(i).append("o\" \"$T/").append(i).append("e\"");
        }
        if (anyMerged) files.append(" \"$T/mc\"");
        sb.append("printf '").append(HEADER).append("%d\\n%s\\n' ").append(facts.size()).append(" \"").append(rcs).append("\"\n");
        if (!facts.isEmpty()) sb.append("wc -c").append(files).append("\ncat").append(files).append("\n");
        return sb.toString();
    }

    /** Which facts are read by the merged {@code stat} and {@code cat} of {@link #paths}. */
    static boolean[] merged(List<? extends Fact<?>> facts) {
        boolean[] m = new boolean[facts.size()];
        for (int i = 0; i < m.length; i++) {
            if (facts.get(i) instanceof PathRead r) {
                String p = r.path();
                m[i] = p.startsWith("/") && !p.startsWith("/proc/") && !p.startsWith("/sys/") && !p.startsWith("/dev/")
                        && !p.equals("/proc") && !p.equals("/sys") && !p.equals("/dev");
            }
        }
        return m;
    }

    /**
     * The merged read of every {@link PathRead}: shell tests sort out links (their own script) and
     * absent paths, one {@code stat} the rest, a {@code read} loop writes each header to the fact's
     * file ({@code @@m file ...} for a regular file, whose bytes one {@code cat} appends to
     * {@code $T/mc} in order), and a second {@code stat} compared with {@code cmp} proves nothing
     * changed meanwhile (inode, ctime, size). Anything unexpected (a failed stat or cat, a path that
     * became a link, a changed stat) sets {@code _mM=1}: every merged fact then runs its own script.
     */
    private static void paths(StringBuilder sb, List<? extends Fact<?>> facts, boolean[] merged) {
        String st = "stat -c '%F|%i %z|%a %u %g %s %U %G' -- \"$@\"";
        sb.append("_mM=0; : >\"$T/mc\"; : >\"$T/ms\"; set --\n");
        for (int i = 0; i < merged.length; i++) {
            if (!merged[i]) continue;
            String p = Sh.q(((PathRead) facts.get(i)).path());
            sb.append("_m").append(i).append("=; _e").append(i).append("=; if [ -L ").append(p).append(" ]; then _m").append(i)
              .append("=s; elif [ -e ").append(p).append(" ]; then _e").append(i).append("=1; set -- \"$@\" ").append(p)
              .append("; else _m").append(i).append("=a; fi\n");
        }
        sb.append("[ $# = 0 ] || ").append(st).append(" >\"$T/ms\" 2>/dev/null || _mM=1\n");
        sb.append("set --; exec 3<\"$T/ms\"\n");
        for (int i = 0; i < merged.length; i++) {
            if (!merged[i]) continue;
            String p = Sh.q(((PathRead) facts.get(i)).path());
            String o = "\"$T/" + i + "o\"";
            sb.append("[ -z \"$_e").append(i).append("\" ] || { IFS='|' read -r _mt _mx _mh <&3 || _mM=1; case $_mt in")
              .append(" 'regular file'|'regular empty file') _mn=${_mh#* }; _mn=${_mn#* }; _mn=${_mn#* }; _mn=${_mn%% *};")
              .append(" if [ \"$_mn\" -le ").append(PathRead.CAP).append(" ] 2>/dev/null; then printf '@@m file %s\\n' \"$_mh\" >").append(o)
              .append("; set -- \"$@\" ").append(p).append("; else _m").append(i).append("=s; fi;;")
              .append(" directory) printf 'directory %s\\n' \"$_mh\" >").append(o).append(";;")
              .append(" ''|'symbolic link') _mM=1;;")
              .append(" *) printf 'other %s\\n' \"$_mh\" >").append(o).append(";; esac; }\n");
        }
        sb.append("exec 3<&-\n");
        sb.append("[ \"$_mM\" = 1 ] || [ $# = 0 ] || cat -- \"$@\" >\"$T/mc\" 2>/dev/null || _mM=1\n");
        sb.append("set --\n");
        for (int i = 0; i < merged.length; i++) {
            if (!merged[i]) continue;
            sb.append("[ -z \"$_e").append(i).append("\" ] || set -- \"$@\" ").append(Sh.q(((PathRead) facts.get(i)).path())).append('\n');
        }
        sb.append("[ \"$_mM\" = 1 ] || [ $# = 0 ] || { ").append(st).append(" >\"$T/ms2\" 2>/dev/null && cmp -s \"$T/ms\" \"$T/ms2\"; } || _mM=1\n");
        sb.append("set --\n");
    }

    /**
     * Splits the batch's output into one {@link FactOutput} per fact, keyed by fact key.
     *
     * @throws TaskException when the output is cut short or not framed as expected
     */
    public static Map<String, FactOutput> parse(List<? extends Fact<?>> facts, byte[] out) throws TaskException {
        int n = facts.size();
        int[] pos = {0};
        String header = line(out, pos, "the batch header");
        if (!header.equals(HEADER + n)) throw new TaskException("reading facts: unexpected output '" + abbreviate(header) + "'");
        String[] rcs = line(out, pos, "the exit codes").strip().split(" ");
        if (n > 0 && rcs.length != n) throw new TaskException("reading facts: bad exit codes line '" + abbreviate(String.join(" ", rcs)) + "'");
        boolean[] merged = merged(facts);
        boolean anyMerged = any(merged);
        int[] len = new int[2 * n + (anyMerged ? 1 : 0)];
        for (int i = 0; i < len.length; i++) {
            len[i] = size(line(out, pos, i < 2 * n ? "the length of fact '" + facts.get(i / 2).key() + "'" : "the length of the files read"));
        }
        if (n > 0) line(out, pos, "the total length");
        int contents = pos[0];
        for (int i = 0; i < 2 * n; i++) contents += len[i];
        final int contentsStart = contents;
        int contentsEnd = anyMerged ? contents + len[2 * n] : contents;
        if (contentsEnd > out.length) throw new TaskException("reading facts: output ended early inside the files read");
        Map<String, FactOutput> result = new LinkedHashMap<>();
        int at = pos[0];
        for (int i = 0; i < n; i++) {
            int outLen = len[2 * i];
            int errLen = len[2 * i + 1];
            if (at + outLen + errLen > out.length) {
                throw new TaskException("reading facts: output ended early inside fact '" + facts.get(i).key() + "'");
            }
            int rc;
            try {
                rc = Integer.parseInt(rcs[i]);
            } catch (NumberFormatException e) {
                throw new TaskException("reading facts: bad exit code '" + abbreviate(rcs[i]) + "' of fact '" + facts.get(i).key() + "'");
            }
            byte[] so = java.util.Arrays.copyOfRange(out, at, at + outLen);
            if (merged[i] && startsWith(so, MERGED)) {
                String mh = new String(so, MERGED.length, so.length - MERGED.length, StandardCharsets.UTF_8);
                String[] f = mh.strip().split(" ", 7);
                long size;
                try {
                    size = f.length == 7 ? Long.parseLong(f[4]) : -1;
                } catch (NumberFormatException e) {
                    size = -1;
                }
                if (size < 0 || contents + size > contentsEnd) {
                    throw new TaskException("reading facts: bad merged read of '" + facts.get(i).key() + "': '" + abbreviate(mh.strip()) + "'");
                }
                byte[] h = java.util.Arrays.copyOfRange(so, MERGED.length, so.length);
                so = new byte[h.length + (int) size];
                System.arraycopy(h, 0, so, 0, h.length);
                System.arraycopy(out, contents, so, h.length, (int) size);
                contents += (int) size;
            }
            byte[] se = java.util.Arrays.copyOfRange(out, at + outLen, at + outLen + errLen);
            result.put(facts.get(i).key(), new FactOutput(rc, so, se));
            at += outLen + errLen;
        }
        if (contents != contentsEnd && contents != contentsStart) {
            throw new TaskException("reading facts: the files read hold " + (contentsEnd - contentsStart) + " bytes, their stat said "
                    + (contents - contentsStart) + " (a file changed while read, or a file whose size stat does not tell)");
        }
        return result;
    }

    private static String line(byte[] out, int[] pos, String what) throws TaskException {
        int nl = indexOf(out, (byte) '\n', pos[0]);
        if (nl < 0) throw new TaskException("reading facts: output ended early, before " + what);
        String l = new String(out, pos[0], nl - pos[0], StandardCharsets.UTF_8);
        pos[0] = nl + 1;
        return l;
    }

    /** The length in one line of {@code wc -c FILE...}: {@code LEN FILE}, padded. */
    private static int size(String wcLine) throws TaskException {
        String t = wcLine.strip();
        int sp = t.indexOf(' ');
        try {
            return Integer.parseInt(sp < 0 ? t : t.substring(0, sp));
        } catch (NumberFormatException e) {
            throw new TaskException("reading facts: bad length line '" + abbreviate(wcLine) + "'");
        }
    }

    /** Distinct facts by key, first declaration wins, order kept. */
    public static List<Fact<?>> distinct(List<? extends Fact<?>> facts) {
        Map<String, Fact<?>> byKey = new LinkedHashMap<>();
        for (Fact<?> f : facts) byKey.putIfAbsent(f.key(), f);
        return new ArrayList<>(byKey.values());
    }

    private static boolean any(boolean[] flags) {
        for (boolean f : flags) if (f) return true;
        return false;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == v) return i;
        return -1;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
