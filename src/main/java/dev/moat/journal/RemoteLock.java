package dev.moat.journal;

import java.util.ArrayList;
import java.util.List;

import dev.moat.transport.ExecResult;
import dev.moat.transport.Sh;

/**
 * One changing moat run per host at a time. The lock is a kernel {@code flock} held by a small
 * detached process on the host that lives exactly as long as the SSH session of the run that took
 * it: it watches that session's sshd process and exits when it ends. A run killed with SIGKILL, or
 * whose laptop vanished, therefore leaves no stale lock once sshd notices the connection is gone
 * (a run taking the lock waits up to 3 s for a holder whose session is gone; a live holder's lock
 * is refused at once); a finished run releases it at once. The holder's run id, start time and controller are kept
 * beside the lock, so a refused run can say who holds it.
 *
 * <p>Since a killed run's lock is gone before its lockout guard fires (up to the guard's timeout
 * later), taking the lock also fires every other run's armed, unclaimed guard at once, before
 * this run reads anything; {@link StaleGuard#parse} reads what {@link #acquire} reports of them.
 */
public final class RemoteLock {
    /** Exit status of {@link #acquire} when another run holds the lock; stdout then names it. */
    public static final int HELD = 75;

    private final String dir;
    private final Guard guard;

    /** The lock under {@code dir}, the lockout guards under {@code dir/guard}. */
    public RemoteLock(String dir) {
        this(dir, new Guard(dir + "/guard"));
    }

    /** The lock under {@code dir}; {@code guard} is where the host's lockout guards are armed. */
    public RemoteLock(String dir, Guard guard) {
        this.dir = dir;
        this.guard = guard;
    }

    /**
     * Takes the lock for {@code runId} or exits {@value #HELD} printing the holder's description.
     * {@code who} describes this run (user@controller, command). Once taken, fires other runs'
     * stale guards ({@link Guard#fireOthers}) and exits 0, printing a line for each.
     */
    public String acquire(String runId, String who) {
        String lock = Sh.q(dir + "/lock");
        String info = Sh.q(dir + "/lock.info");
        String pid = Sh.q(dir + "/lock.pid");
        String owner = Sh.q(dir + "/lock.owner");
        String me = Sh.q(runId + " started " + java.time.Instant.now() + " by " + who);
        return "umask 077; mkdir -p " + Sh.q(dir) + "\n"
                // The session to watch: the nearest sshd ancestor (sshd-session on OpenSSH 9.8+), else our parent.
                + "owner=$PPID; p=$$\n"
                + "while [ \"$p\" -gt 1 ] 2>/dev/null; do\n"
                + "  c=$(cat /proc/$p/comm 2>/dev/null)\n"
                + "  case \"$c\" in sshd|sshd-session) owner=$p; break ;; esac\n"
                + "  p=$(awk '{print $4}' /proc/$p/stat 2>/dev/null || echo 1)\n"
                + "done\n"
                // A holder whose session is gone (a run killed a moment ago) lets go within half a
                // second: wait for it. A live holder's lock is refused at once.
                + "w=-n; o=$(cat " + owner + " 2>/dev/null)\n"
                + "if [ -n \"$o\" ] && ! kill -0 \"$o\" 2>/dev/null; then w='-w 3'; fi\n"
                + "setsid flock $w -o " + lock + " sh -c " + Sh.q(
                        "printf '%s\\n' " + me + " > " + info + "; echo $$ > " + pid + "; echo \"$1\" > " + owner + "; "
                        + "while kill -0 \"$1\" 2>/dev/null; do sleep 0.5; done; rm -f " + info + " " + pid + " " + owner)
                + " moat-lock \"$owner\" </dev/null >/dev/null 2>&1 &\n"
                + "held=0; i=0; while [ $i -lt 50 ]; do\n"
                + "  grep -qF " + Sh.q(runId + " ") + " " + info + " 2>/dev/null && { held=1; break; }\n"
                + "  if ! kill -0 $! 2>/dev/null; then break; fi\n"
                + "  i=$((i+1)); sleep 0.1\n"
                + "done\n"
                + "if [ $held = 0 ] && grep -qF " + Sh.q(runId + " ") + " " + info + " 2>/dev/null; then held=1; fi\n"
                + "if [ $held = 1 ]; then\n(\n" + guard.fireOthers(runId) + ")\nexit 0\nfi\n"
                + "cat " + info + " 2>/dev/null || echo 'another run (no details left)'\n"
                + "exit " + HELD + "\n";
    }

    /**
     * What a run of {@link #acquire} means, for every command that takes the lock (apply, rollback,
     * the shell).
     *
     * @param held     the lock is this run's now (release it, even when refused)
     * @param refusal  why this run must not change the host, or null: another run holds the lock,
     *                 the lock could not be taken, or a killed run's guard could not be reverted
     *                 (the host is then in no known state)
     * @param note     the recap's short form of the refusal
     * @param notices  the killed runs' guards reverted before this run (one line each)
     */
    public record Outcome(boolean held, String refusal, String note, List<String> notices) {
        public Outcome {
            notices = List.copyOf(notices);
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    /** Reads {@link #acquire}'s exit status and output. */
    public static Outcome outcome(ExecResult r) {
        if (r.rc() == HELD) {
            return new Outcome(false, "another moat run is changing this host: " + r.out().strip()
                    + "; wait for it to finish (its lock ends with it)", "not changed: locked by another run", List.of());
        }
        if (!r.ok()) {
            return new Outcome(false, "could not take the host's moat lock (exit " + r.rc() + "): "
                    + (r.err().strip() + " " + r.out().strip()).strip(), "not changed: no lock", List.of());
        }
        List<String> notices = new ArrayList<>();
        for (StaleGuard g : StaleGuard.parse(r.out())) {
            if (!g.reverted()) {
                return new Outcome(true, g.describe() + "; not changing this host", "not changed: a stale guard's revert failed", notices);
            }
            notices.add(g.describe());
        }
        return new Outcome(true, null, null, notices);
    }

    /**
     * A run of this controller as the lock shows it to a run it refuses: {@code user@controller}
     * and {@code what} runs, e.g. {@code alice@laptop (moat apply site.yml)}.
     */
    public static String who(String what) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        return System.getProperty("user.name") + "@" + host + " (" + what + ")";
    }

    /** Releases the lock if {@code runId} holds it. */
    public String release(String runId) {
        String info = Sh.q(dir + "/lock.info");
        String pid = Sh.q(dir + "/lock.pid");
        return "if grep -qF " + Sh.q(runId + " ") + " " + info + " 2>/dev/null; then\n"
                + "  kill \"$(cat " + pid + ")\" 2>/dev/null; rm -f " + info + " " + pid + " " + Sh.q(dir + "/lock.owner") + "\n"
                + "fi\n";
    }
}
