package dev.moat.journal;

import dev.moat.transport.Sh;

/**
 * One changing moat run per host at a time. The lock is a kernel {@code flock} held by a small
 * detached process on the host that lives exactly as long as the SSH session of the run that took
 * it: it watches that session's sshd process and exits when it ends. A run killed with SIGKILL, or
 * whose laptop vanished, therefore leaves no stale lock once sshd notices the connection is gone;
 * a finished run releases it at once. The holder's run id, start time and controller are kept
 * beside the lock, so a refused run can say who holds it.
 */
public final class RemoteLock {
    /** Exit status of {@link #acquire} when another run holds the lock; stdout then names it. */
    public static final int HELD = 75;

    private final String dir;

    public RemoteLock(String dir) {
        this.dir = dir;
    }

    /**
     * Takes the lock for {@code runId} or exits {@value #HELD} printing the holder's description.
     * {@code who} describes this run (user@controller, command).
     */
    public String acquire(String runId, String who) {
        String lock = Sh.q(dir + "/lock");
        String info = Sh.q(dir + "/lock.info");
        String pid = Sh.q(dir + "/lock.pid");
        String me = Sh.q(runId + " started " + java.time.Instant.now() + " by " + who);
        return "umask 077; mkdir -p " + Sh.q(dir) + "\n"
                // The session to watch: the nearest sshd ancestor (sshd-session on OpenSSH 9.8+), else our parent.
                + "owner=$PPID; p=$$\n"
                + "while [ \"$p\" -gt 1 ] 2>/dev/null; do\n"
                + "  c=$(cat /proc/$p/comm 2>/dev/null)\n"
                + "  case \"$c\" in sshd|sshd-session) owner=$p; break ;; esac\n"
                + "  p=$(awk '{print $4}' /proc/$p/stat 2>/dev/null || echo 1)\n"
                + "done\n"
                + "setsid flock -n -o " + lock + " sh -c " + Sh.q(
                        "printf '%s\\n' " + me + " > " + info + "; echo $$ > " + pid + "; "
                        + "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; rm -f " + info + " " + pid)
                + " moat-lock \"$owner\" </dev/null >/dev/null 2>&1 &\n"
                + "i=0; while [ $i -lt 50 ]; do\n"
                + "  grep -qF " + Sh.q(runId + " ") + " " + info + " 2>/dev/null && exit 0\n"
                + "  if ! kill -0 $! 2>/dev/null; then break; fi\n"
                + "  i=$((i+1)); sleep 0.1\n"
                + "done\n"
                + "grep -qF " + Sh.q(runId + " ") + " " + info + " 2>/dev/null && exit 0\n"
                + "cat " + info + " 2>/dev/null || echo 'another run (no details left)'\n"
                + "exit " + HELD + "\n";
    }

    /** Releases the lock if {@code runId} holds it. */
    public String release(String runId) {
        String info = Sh.q(dir + "/lock.info");
        String pid = Sh.q(dir + "/lock.pid");
        return "if grep -qF " + Sh.q(runId + " ") + " " + info + " 2>/dev/null; then\n"
                + "  kill \"$(cat " + pid + ")\" 2>/dev/null; rm -f " + info + " " + pid + "\n"
                + "fi\n";
    }
}
