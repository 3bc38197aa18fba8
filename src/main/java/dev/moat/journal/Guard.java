package dev.moat.journal;

import java.time.Duration;

import dev.moat.transport.Sh;

/**
 * The "commit confirmed" guard against lockout. Before a firewall (or sshd) change, {@link #arm}
 * leaves on the host a revert that fires by itself after a timeout, independent of the SSH
 * session: a transient systemd timer where systemd runs, else a detached {@code setsid} process in
 * its own session (so the session's hangup does not reach it). After the change, the controller
 * proves reachability over a NEW connection and {@link #disarm}s it. If that proof fails, or the
 * controller dies, the host reverts on its own.
 */
public final class Guard {
    /** Exit status of {@link #disarm} when the guard had fired and restored the change. */
    public static final int FIRED = 6;

    /** Exit status of {@link #disarm} when the guard fired but its restore failed. */
    public static final int FIRED_FAILED = 8;

    /**
     * Exit status of {@link #fireNow}, and the status {@link #fireOthers} reports, when the revert left
     * no verdict within the wait (two minutes).
     */
    public static final int NO_VERDICT = 9;

    private final String dir;

    public Guard(String dir) {
        this.dir = dir;
    }

    private String base(String runId, int seq) {
        return dir + "/guard-" + runId + "-" + seq;
    }

    /**
     * Arms {@code revertScript} to run after {@code timeout}. The revert writes a {@code .fired}
     * marker so the controller can tell a fired guard from a disarmed one.
     */
    public String arm(String runId, int seq, String revertScript, Duration timeout) {
        String b = base(runId, seq);
        long secs = Math.max(1, timeout.toSeconds());
        String unit = "moat-guard-" + (runId + "-" + seq).replaceAll("[^A-Za-z0-9-]", "-");
        return "set -e; umask 077; mkdir -p " + Sh.q(dir) + "\n"
                + "cat > " + Sh.q(b + ".sh") + " <<'MOAT_GUARD_EOF'\n"
                // The claim decides, atomically, whether the revert or a disarm wins.
                + "mkdir " + Sh.q(b + ".claim") + " 2>/dev/null || exit 0\n"
                + "exec >" + Sh.q(b + ".log") + " 2>&1\n"
                // Never revert under a change still in flight (a slow step, or a killed run's orphaned
                // ufw command): its steps hold this lock, and their children inherit it.
                + "exec 9>>" + Sh.q(b + ".step") + " && flock -w 60 9\n"
                + "(\n" + revertScript + "\n)\n"
                + "echo $? > " + Sh.q(b + ".fired.tmp") + " && mv " + Sh.q(b + ".fired.tmp") + " " + Sh.q(b + ".fired") + "\n"
                + "MOAT_GUARD_EOF\n"
                + "rm -rf " + Sh.q(b + ".fired") + " " + Sh.q(b + ".claim") + "\n"
                + "if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then\n"
                + "  systemd-run --quiet --unit=" + unit + " --on-active=" + secs + "s /bin/sh " + Sh.q(b + ".sh") + "\n"
                + "  echo systemd:" + unit + " > " + Sh.q(b + ".armed") + "\n"
                + "else\n"
                + "  setsid sh -c " + Sh.q("sleep " + secs + "; exec sh " + Sh.q(b + ".sh"))
                + " </dev/null >/dev/null 2>&1 &\n"
                + "  echo pid:$! > " + Sh.q(b + ".armed") + "\n"
                + "fi\n";
    }

    /**
     * A prefix for the scripts of a guarded change's steps: they hold the guard's step lock while
     * they run (and so do their children), so its revert, fired by the timer or by a later run,
     * waits for them rather than racing them. Without the lock (not root) the step runs as before.
     */
    public String stepPrefix(String runId, int seq) {
        return "{ exec 9>>" + Sh.q(base(runId, seq) + ".step") + " && flock 9; } 2>/dev/null || true\n";
    }

    /**
     * Cancels an armed revert. If the revert already claimed the change, waits for it to finish and
     * exits {@value #FIRED} when it restored the firewall, {@value #FIRED_FAILED} when its restore failed.
     */
    public String disarm(String runId, int seq) {
        String b = base(runId, seq);
        return "if mkdir " + Sh.q(b + ".claim") + " 2>/dev/null; then\n"
                + stopTimer(Sh.q(b))
                + "  exit 0\n"
                + "fi\n"
                // The revert is running or has run: never kill it half-way; wait for its verdict.
                + "i=0; while [ ! -f " + Sh.q(b + ".fired") + " ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i+1)); done\n"
                + "rm -f " + Sh.q(b + ".armed") + "\n"
                + "rc=$(cat " + Sh.q(b + ".fired") + " 2>/dev/null || echo timeout)\n"
                + "if [ \"$rc\" = 0 ]; then echo 'the guard had already reverted the change' >&2; exit " + FIRED + "; fi\n"
                + "echo \"the guard fired but its restore failed ($rc): see " + b.replace("\"", "") + ".log\" >&2; exit " + FIRED_FAILED + "\n";
    }

    /**
     * Runs the revert at once (the confirmation failed but this session still works), unless the
     * timer's revert already claimed it; either way exits with the revert's own status.
     */
    public String fireNow(String runId, int seq) {
        String b = base(runId, seq);
        return "if mkdir " + Sh.q(b + ".claim") + " 2>/dev/null; then\n"
                + stopTimer(Sh.q(b))
                + "  rmdir " + Sh.q(b + ".claim") + "\n"
                + "  sh " + Sh.q(b + ".sh") + "\n"
                + "fi\n"
                + "i=0; while [ ! -f " + Sh.q(b + ".fired") + " ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i+1)); done\n"
                + "exit \"$(cat " + Sh.q(b + ".fired") + " 2>/dev/null || echo " + NO_VERDICT + ")\"\n";
    }

    /**
     * Fires at once every guard that another run armed and nothing has claimed: the run that armed
     * it is gone (its lock died with its session), so its change was never confirmed, and its timer
     * would otherwise revert it underneath the run taking the lock now. Claims each as
     * {@link #fireNow} does, stops its timer and runs its revert; waits for a revert its timer has
     * already started. Prints one line per guard reverted here:
     * {@code @@guard-reverted RC RUN_ID SEQ LOG} ({@link StaleGuard#parse} reads them).
     */
    public String fireOthers(String runId) {
        return "for f in " + Sh.q(dir) + "/guard-*.armed; do\n"
                + "  [ -f \"$f\" ] || continue\n"
                + "  b=${f%.armed}; n=${b##*/guard-}; run=${n%-*}; seq=${n##*-}\n"
                + "  [ \"$run\" = " + Sh.q(runId) + " ] && continue\n"
                + "  if mkdir \"$b.claim\" 2>/dev/null; then\n"
                + stopTimer("\"$b\"")
                + "    rmdir \"$b.claim\"; sh \"$b.sh\"\n"
                + "  elif [ -f \"$b.fired\" ]; then\n"
                // Its timer reverted it long ago: nothing left to do here.
                + "    rm -f \"$f\"; continue\n"
                + "  else\n"
                // Its timer's revert is running (a disarm would have removed .armed): let it finish.
                + "    i=0; while [ ! -f \"$b.fired\" ] && [ -f \"$f\" ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i+1)); done\n"
                + "    [ -f \"$b.fired\" ] || continue\n"
                + "  fi\n"
                + "  rm -f \"$f\"\n"
                + "  printf '@@guard-reverted %s %s %s %s\\n' \"$(cat \"$b.fired\" 2>/dev/null || echo " + NO_VERDICT + ")\" \"$run\" \"$seq\" \"$b.log\"\n"
                + "done\n";
    }

    /**
     * Stops the armed timer or sleeping process (the caller holds the claim, so it cannot fire).
     * {@code qb} is the guard's base path as a shell word (quoted, or a quoted variable).
     */
    private static String stopTimer(String qb) {
        return "  a=$(cat " + qb + ".armed 2>/dev/null)\n"
                + "  case \"$a\" in\n"
                + "    systemd:*) systemctl stop \"${a#systemd:}.timer\" >/dev/null 2>&1 || true ;;\n"
                + "    pid:*) kill -TERM -- \"-${a#pid:}\" 2>/dev/null || kill -TERM \"${a#pid:}\" 2>/dev/null || true ;;\n"
                + "  esac\n"
                + "  rm -f " + qb + ".armed\n";
    }
}
