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
                + "exec >" + Sh.q(b + ".log") + " 2>&1\n"
                + "(\n" + revertScript + "\n)\n"
                + "echo $? > " + Sh.q(b + ".fired") + "\n"
                + "MOAT_GUARD_EOF\n"
                + "rm -f " + Sh.q(b + ".fired") + "\n"
                + "if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then\n"
                + "  systemd-run --quiet --unit=" + unit + " --on-active=" + secs + "s /bin/sh " + Sh.q(b + ".sh") + "\n"
                + "  echo systemd:" + unit + " > " + Sh.q(b + ".armed") + "\n"
                + "else\n"
                + "  setsid sh -c " + Sh.q("sleep " + secs + "; exec sh " + Sh.q(b + ".sh"))
                + " </dev/null >/dev/null 2>&1 &\n"
                + "  echo pid:$! > " + Sh.q(b + ".armed") + "\n"
                + "fi\n";
    }

    /** Cancels an armed revert; exits 6 if it already fired (the change was reverted). */
    public String disarm(String runId, int seq) {
        String b = base(runId, seq);
        return "a=$(cat " + Sh.q(b + ".armed") + " 2>/dev/null)\n"
                + "case \"$a\" in\n"
                + "  systemd:*) systemctl stop \"${a#systemd:}.timer\" >/dev/null 2>&1; systemctl stop \"${a#systemd:}.service\" >/dev/null 2>&1 || true ;;\n"
                + "  pid:*) kill -TERM -- \"-${a#pid:}\" 2>/dev/null || kill -TERM \"${a#pid:}\" 2>/dev/null || true ;;\n"
                + "esac\n"
                + "rm -f " + Sh.q(b + ".armed") + "\n"
                + "if [ -f " + Sh.q(b + ".fired") + " ]; then echo 'the guard had already reverted the change' >&2; exit 6; fi\n";
    }

    /** Disarms and runs the revert at once (the confirmation failed but this session still works). */
    public String fireNow(String runId, int seq) {
        String b = base(runId, seq);
        return disarm(runId, seq).replace("exit 6; fi\n", "exit 0; fi\n") + "sh " + Sh.q(b + ".sh") + "; cat " + Sh.q(b + ".fired") + " >/dev/null\n"
                + "exit \"$(cat " + Sh.q(b + ".fired") + ")\"\n";
    }

    /** Exit status of {@link #disarm} when the guard had fired. */
    public static final int FIRED = 6;
}
