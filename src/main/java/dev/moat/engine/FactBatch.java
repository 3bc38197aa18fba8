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
 * a subshell with stdin closed; its stdout and stderr go to temporary files and are then printed
 * behind a length-prefixed header, so output is framed exactly whatever bytes it holds:
 * <pre>@@moat INDEX RC OUTLEN ERRLEN\n&lt;OUTLEN bytes&gt;&lt;ERRLEN bytes&gt;</pre>
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
        for (int i = 0; i < facts.size(); i++) {
            sb.append("(\n").append(facts.get(i).script()).append("\n) </dev/null >\"$T/o\" 2>\"$T/e\"; r=$?\n");
            sb.append("printf '").append(HEADER).append("%d %d %d %d\\n' ").append(i)
              .append(" $r $(wc -c <\"$T/o\") $(wc -c <\"$T/e\"); cat \"$T/o\" \"$T/e\"\n");
        }
        return sb.toString();
    }

    /**
     * Splits the batch's output into one {@link FactOutput} per fact, keyed by fact key.
     *
     * @throws TaskException when the output is cut short or not framed as expected
     */
    public static Map<String, FactOutput> parse(List<? extends Fact<?>> facts, byte[] out) throws TaskException {
        Map<String, FactOutput> result = new LinkedHashMap<>();
        int pos = 0;
        for (int i = 0; i < facts.size(); i++) {
            int nl = indexOf(out, (byte) '\n', pos);
            if (nl < 0) throw new TaskException("reading facts: output ended early, at fact '" + facts.get(i).key() + "'");
            String header = new String(out, pos, nl - pos, StandardCharsets.UTF_8);
            if (!header.startsWith(HEADER)) {
                throw new TaskException("reading facts: unexpected output before fact '" + facts.get(i).key() + "': "
                        + abbreviate(header));
            }
            String[] f = header.substring(HEADER.length()).trim().split("\\s+");
            if (f.length != 4 || Integer.parseInt(f[0]) != i) {
                throw new TaskException("reading facts: bad frame header '" + abbreviate(header) + "'");
            }
            int rc = Integer.parseInt(f[1]);
            int outLen = Integer.parseInt(f[2]);
            int errLen = Integer.parseInt(f[3]);
            int start = nl + 1;
            if (start + outLen + errLen > out.length) {
                throw new TaskException("reading facts: output ended early inside fact '" + facts.get(i).key() + "'");
            }
            byte[] so = java.util.Arrays.copyOfRange(out, start, start + outLen);
            byte[] se = java.util.Arrays.copyOfRange(out, start + outLen, start + outLen + errLen);
            result.put(facts.get(i).key(), new FactOutput(rc, so, se));
            pos = start + outLen + errLen;
        }
        return result;
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
