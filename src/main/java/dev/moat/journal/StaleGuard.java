package dev.moat.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * A lockout guard of another, killed run that the run taking the host's lock found armed and
 * fired at once ({@link Guard#fireOthers}), so its revert ran before this run read anything rather
 * than up to a timeout later, underneath it.
 *
 * @param rc    the revert's exit status (0: the unconfirmed change was put back)
 * @param runId the run that armed it
 * @param seq   its journal entry
 * @param log   the revert's log on the host
 */
public record StaleGuard(int rc, String runId, int seq, String log) {
    private static final String PREFIX = "@@guard-reverted ";

    public boolean reverted() {
        return rc == 0;
    }

    /** One line for the run's output and the host's recap. */
    public String describe() {
        return reverted()
                ? "a killed run's unconfirmed firewall/sshd change (run " + runId + ") was reverted before this run"
                : "a killed run's unconfirmed firewall/sshd change (run " + runId + ") could not be reverted (exit " + rc
                        + ", see " + log + " on the host)";
    }

    /** The guards fired, as {@link Guard#fireOthers} printed them among other output. */
    public static List<StaleGuard> parse(String out) {
        List<StaleGuard> r = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.startsWith(PREFIX)) continue;
            String[] f = l.substring(PREFIX.length()).split(" ", 4);
            if (f.length < 4) continue;
            try {
                r.add(new StaleGuard(Integer.parseInt(f[0]), f[1], Integer.parseInt(f[2]), f[3]));
            } catch (NumberFormatException e) {
                r.add(new StaleGuard(9, f[1], -1, f[3]));
            }
        }
        return r;
    }
}
