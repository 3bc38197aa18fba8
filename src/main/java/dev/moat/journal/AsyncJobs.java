package dev.moat.journal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.transport.Sh;

/**
 * A task run detached on its host ({@code async:}), as Ansible's async_wrapper does: the script
 * runs under {@code setsid} with its input and output in files, so it outlives the SSH session
 * that started it (a dropped connection, a killed controller); a watchdog ends its process group
 * after {@code async} seconds. Its files live in {@code /var/lib/moat/async/JID/} beside the run
 * journals when it runs as root, else in {@code ~/.moat_async/JID/} (Ansible: {@code ~/.ansible_async/JID}):
 * {@code script}, {@code stdin}, {@code stdout}, {@code stderr}, {@code start}, {@code end},
 * {@code rc} (written last: the job finished), {@code killed} (the watchdog ended it).
 */
public final class AsyncJobs {
    private AsyncJobs() {}

    /** Where root's jobs live: under moat's state directory, beside the journals. */
    public static final String ROOT_DIR = StateDir.ROOT + "/async";

    /** The job directory's parent for whoever runs the script: root's, or the user's own. */
    private static final String BASE = "if [ \"$(id -u)\" = 0 ]; then base=" + ROOT_DIR + "; else base=\"$HOME/.moat_async\"; fi\n";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new job id in Ansible's shape, {@code j} and 12 digits, a dot, and a number. */
    public static String newJid() {
        return String.format("j%012d.%d", Math.floorMod(RANDOM.nextLong(), 1_000_000_000_000L), ProcessHandle.current().pid());
    }

    /** A job id as moat makes them (and Ansible's): it is used in a path. */
    public static boolean valid(String jid) {
        return jid != null && jid.matches("[A-Za-z0-9_.-]{1,64}") && !jid.startsWith(".");
    }

    /**
     * The step that starts {@code script} as job {@code jid}, killed after {@code limit} seconds:
     * its stdin (the step's) is saved for the job; it prints {@code @@async DIR} and returns at once.
     */
    public static String launch(String jid, String script, int limit) {
        String b64 = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
        return BASE
                + "d=\"$base\"/" + Sh.q(jid) + "\n"
                + "umask 077\n"
                + "mkdir -p \"$d\" || exit 1\n"
                + "cat > \"$d/stdin\" || exit 1\n"
                + "printf '%s' " + Sh.q(b64) + " | base64 -d > \"$d/script\" || exit 1\n"
                + "date '+%Y-%m-%d %H:%M:%S.%6N' > \"$d/start\"\n"
                // setsid: a session of its own, so no hangup reaches it when the SSH session ends.
                + "setsid sh -c " + Sh.q(WRAPPER) + " moat-async \"$d\" " + limit + " < /dev/null > /dev/null 2>&1 &\n"
                + "echo \"@@async $d\"\n";
    }

    /**
     * Runs the job in a process group of its own (so the watchdog can end all of it: dash's kill
     * takes {@code -PGID}, not {@code -- -PGID}), waits for it,
     * then records its end and, last, its exit code. The watchdog looks once a second.
     */
    private static final String WRAPPER = String.join("\n",
            "d=$1; limit=$2",
            "setsid sh \"$d/script\" < \"$d/stdin\" > \"$d/stdout\" 2> \"$d/stderr\" & job=$!",
            "echo \"$job\" > \"$d/pid\"",
            "( i=0; while [ \"$i\" -lt \"$limit\" ] && kill -0 \"$job\" 2>/dev/null; do sleep 1; i=$((i+1)); done",
            "  if kill -0 \"$job\" 2>/dev/null; then : > \"$d/killed\"; kill -TERM \"-$job\" 2>/dev/null; sleep 2; kill -KILL \"-$job\" 2>/dev/null; fi ) &",
            "wait \"$job\"; rc=$?",
            "date '+%Y-%m-%d %H:%M:%S.%6N' > \"$d/end\"",
            "echo \"$rc\" > \"$d/rc.tmp\" && mv \"$d/rc.tmp\" \"$d/rc\"",
            "");

    /** Reads job {@code jid}'s state: {@link #parse} reads what this prints. */
    public static String status(String jid) {
        return BASE
                + "d=\"$base\"/" + Sh.q(jid) + "\n"
                + "if [ ! -d \"$d\" ]; then echo '@@missing'; exit 0; fi\n"
                + "echo \"@@dir $d\"\n"
                + "[ -f \"$d/rc\" ] && echo \"@@rc $(cat \"$d/rc\")\"\n"
                + "[ -f \"$d/killed\" ] && echo '@@killed'\n"
                + "echo \"@@start $(cat \"$d/start\" 2>/dev/null)\"\n"
                + "echo \"@@end $(cat \"$d/end\" 2>/dev/null)\"\n"
                + "echo '@@stdout'; base64 -w0 < \"$d/stdout\" 2>/dev/null; echo\n"
                + "echo '@@stderr'; base64 -w0 < \"$d/stderr\" 2>/dev/null; echo\n"
                + "exit 0\n";
    }

    /** Ends job {@code jid} now (its whole process group), as a timeout does. */
    public static String kill(String jid) {
        return BASE
                + "d=\"$base\"/" + Sh.q(jid) + "\n"
                + "p=$(cat \"$d/pid\" 2>/dev/null) || exit 0\n"
                + "[ -f \"$d/rc\" ] && exit 0\n"
                + ": > \"$d/killed\"; kill -TERM \"-$p\" 2>/dev/null; sleep 1; kill -KILL \"-$p\" 2>/dev/null; exit 0\n";
    }

    /** Removes job {@code jid}'s files ({@code async_status: mode=cleanup}). */
    public static String cleanup(String jid) {
        return BASE + "rm -rf -- \"$base\"/" + Sh.q(jid) + "\n";
    }

    /**
     * What a job's files say. {@code found} false: no such job (for this user); {@code rc} null while
     * it runs.
     */
    public record State(String jid, boolean found, String dir, Integer rc, boolean killed, String start, String end,
                        String stdout, String stderr) {
        public boolean finished() {
            return rc != null;
        }

        /**
         * The result as Ansible's async_status gives it: {@code ansible_job_id}, {@code started},
         * {@code finished}, {@code results_file}, and once finished {@code rc}, {@code stdout},
         * {@code stderr} (and their lines), {@code start}, {@code end}, {@code delta}.
         */
        public Map<String, Object> result() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ansible_job_id", jid);
            m.put("started", 1);
            m.put("finished", finished() ? 1 : 0);
            m.put("results_file", dir);
            if (finished()) {
                m.put("rc", rc);
                m.put("start", start);
                m.put("end", end);
                String delta = delta(start, end);
                if (delta != null) m.put("delta", delta);
            }
            m.put("stdout", strip(stdout));
            m.put("stdout_lines", lines(stdout));
            m.put("stderr", strip(stderr));
            m.put("stderr_lines", lines(stderr));
            return m;
        }
    }

    /** Parses {@link #status}'s output for job {@code jid}. */
    public static State parse(String jid, String out) {
        if (out.lines().anyMatch(l -> l.equals("@@missing"))) return new State(jid, false, null, null, false, null, null, "", "");
        String dir = null, start = null, end = null, stdout = "", stderr = "";
        Integer rc = null;
        boolean killed = false;
        List<String> lines = out.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("@@dir ")) dir = l.substring(6);
            else if (l.startsWith("@@rc ")) rc = parseInt(l.substring(5).strip());
            else if (l.equals("@@killed")) killed = true;
            else if (l.startsWith("@@start")) start = l.substring(7).strip();
            else if (l.startsWith("@@end")) end = l.substring(5).strip();
            else if (l.equals("@@stdout") && i + 1 < lines.size()) stdout = decode(lines.get(++i));
            else if (l.equals("@@stderr") && i + 1 < lines.size()) stderr = decode(lines.get(++i));
        }
        return new State(jid, true, dir, rc, killed, start == null || start.isEmpty() ? null : start, end == null || end.isEmpty() ? null : end,
                stdout, stderr);
    }

    private static Integer parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String decode(String b64) {
        try {
            return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** Ansible's delta, {@code H:MM:SS.ffffff}, between two of the job's time stamps; null if either is unreadable. */
    static String delta(String start, String end) {
        try {
            Duration d = Duration.between(LocalDateTime.parse(start, STAMP), LocalDateTime.parse(end, STAMP));
            long us = d.toNanos() / 1000;
            return String.format("%d:%02d:%02d.%06d", us / 3_600_000_000L, us / 60_000_000 % 60, us / 1_000_000 % 60, us % 1_000_000);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String strip(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static List<String> lines(String s) {
        String x = strip(s);
        return x.isEmpty() ? List.of() : List.of(x.split("\n", -1));
    }
}
