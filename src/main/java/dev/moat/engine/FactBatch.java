package dev.moat.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.TaskException;

/**
 * Many facts read in one remote script: the performance core of moat. Each fact's snippet runs in
 * a subshell with stdin closed; its stdout and stderr go to temporary files. At the end one
 * {@code wc -c} gives every file's length and one {@code cat} prints them all, so output is framed
 * exactly whatever bytes it holds, at the cost of one fork per fact and three processes per batch
 * (host CPU matters: every process costs the host about a millisecond):
 * <pre>@@moat N\nRC0 RC1 ...\n&lt;wc -c lines: LEN FILE, 2N of them, then total&gt;\n&lt;out0&gt;&lt;err0&gt;&lt;out1&gt;...</pre>
 */
public final class FactBatch {
    private static final String HEADER = "@@moat ";

    private FactBatch() {}

    /** The POSIX sh script that reads every fact in order. */
    public static String script(List<? extends Fact<?>> facts) {
        StringBuilder sb = new StringBuilder(256 + facts.size() * 128);
        sb.append("T=$(mktemp -d \"${TMPDIR:-/tmp}/moat.XXXXXX\") || exit 97\n");
        sb.append("trap 'rm -rf \"$T\"' EXIT\n");
        sb.append("LC_ALL=C; export LC_ALL\n");
        StringBuilder rcs = new StringBuilder();
        StringBuilder files = new StringBuilder();
        for (int i = 0; i < facts.size(); i++) {
            sb.append("(\n").append(facts.get(i).script()).append("\n) </dev/null >\"$T/").append(i).append("o\" 2>\"$T/")
              .append(i).append("e\"; r").append(i).append("=$?\n");
            rcs.append(i == 0 ? "" : " ").append("$r").append(i);
            files.append(" \"$T/").append(i).append("o\" \"$T/").append(i).append("e\"");
        }
        sb.append("printf '").append(HEADER).append("%d\\n%s\\n' ").append(facts.size()).append(" \"").append(rcs).append("\"\n");
        if (!facts.isEmpty()) sb.append("wc -c").append(files).append("\ncat").append(files).append("\n");
        return sb.toString();
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
        int[] len = new int[2 * n];
        for (int i = 0; i < 2 * n; i++) len[i] = size(line(out, pos, "the length of fact '" + facts.get(i / 2).key() + "'"));
        if (n > 0) line(out, pos, "the total length");
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
            byte[] se = java.util.Arrays.copyOfRange(out, at + outLen, at + outLen + errLen);
            result.put(facts.get(i).key(), new FactOutput(rc, so, se));
            at += outLen + errLen;
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

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == v) return i;
        return -1;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
