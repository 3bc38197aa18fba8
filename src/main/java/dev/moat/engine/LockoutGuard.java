package dev.moat.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.moat.journal.Guard;
import dev.moat.journal.Ledger;
import dev.moat.journal.ServiceReload;
import dev.moat.journal.Undo;
import dev.moat.module.Plan;
import dev.moat.module.Risk;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Sh;

/**
 * The lockout guard of one host's risky changes ({@link Plan#risks}): before the change, {@link #arm}
 * leaves on the host a revert that fires by itself; after it, {@link #confirm} proves a NEW SSH
 * connection still works and disarms it, or reverts at once. What the revert puts back:
 * <ul>
 * <li>{@link Risk#FIREWALL}: every path the plan journaled beside the firewall (/etc/default/ufw
 * when a default policy changes), newest first, and the firewall last, since its restore reloads,
 * enables or disables ufw: the live firewall then runs exactly the saved files.
 * <li>{@link Risk#SSH}: every path journaled by the run's SSH changes, newest first (sshd may only
 * now load what earlier tasks wrote under /etc/ssh; their own guards confirmed nothing while sshd
 * still ran the old configuration), then sshd reloaded.
 * </ul>
 */
final class LockoutGuard {
    /** A guarded change: its risk, the journal entry that made it risky, and what the revert restores, in order. */
    record Guarded(Risk risk, Ledger.Entry entry, List<Ledger.Entry> reverts) {}

    private final String host;
    private final HostSession session;
    private final RunContext run;

    LockoutGuard(String host, HostSession session, RunContext run) {
        this.host = host;
        this.session = session;
        this.run = run;
    }

    /**
     * The guard a change needs, from its risks and its journal {@code entries} (just taken, in plan
     * order): null when it risks nothing, or journaled nothing a guard could restore.
     */
    Guarded of(Plan plan, List<Ledger.Entry> entries) {
        Set<Integer> sshPaths = run.sshEntries(host);
        if (plan.risks().contains(Risk.SSH)) {
            for (Ledger.Entry e : entries) if (e.undo() instanceof Undo.RestorePath) sshPaths.add(e.seq());
        }
        for (Ledger.Entry e : entries) {
            if (plan.risks().contains(Risk.FIREWALL) && e.undo() instanceof Undo.RestoreFirewall) return firewall(e, entries);
            if (plan.risks().contains(Risk.SSH) && e.undo() instanceof Undo.RestorePath) return ssh(e, sshPaths);
        }
        return null;
    }

    private Guarded firewall(Ledger.Entry fw, List<Ledger.Entry> own) {
        List<Ledger.Entry> reverts = new ArrayList<>();
        for (Ledger.Entry x : run.ledger(host).toUndo(null, 0)) {
            if (x.seq() != fw.seq() && own.contains(x) && restorable(x)) reverts.add(x);
        }
        reverts.add(fw);
        return new Guarded(Risk.FIREWALL, fw, List.copyOf(reverts));
    }

    private Guarded ssh(Ledger.Entry e, Set<Integer> sshPaths) {
        List<Ledger.Entry> reverts = new ArrayList<>();
        for (Ledger.Entry x : run.ledger(host).toUndo(null, 0)) if (sshPaths.contains(x.seq())) reverts.add(x);
        return new Guarded(Risk.SSH, e, List.copyOf(reverts));
    }

    /** Whether the guard's revert can put an entry back by itself (not a reload, nor the irreversible). */
    private static boolean restorable(Ledger.Entry x) {
        return !(x.undo() instanceof Undo.Irreversible) && !(x.undo() instanceof Undo.Reload);
    }

    /** Arms the revert on the host; null, or why it could not be armed. */
    String arm(Guarded g) throws IOException {
        // Every restore is attempted, whatever became of the one before (a lockout guard must still
        // put the firewall back if, say, /etc/default/ufw could not be); the first failure is the status.
        StringBuilder revert = new StringBuilder("rc=0\n");
        for (Ledger.Entry x : g.reverts()) {
            revert.append(Sh.subshell(run.snapshots().restore(run.runId(), x.seq(), x.undo()), "[ $rc = 0 ] && rc=$r"));
        }
        if (g.risk() == Risk.SSH) revert.append(ServiceReload.script("sshd")).append(" || { r=$?; [ $rc = 0 ] && rc=$r; }\n");
        revert.append("exit $rc\n");
        ExecResult r = session.exec(Command.root(run.guard().arm(run.runId(), g.entry().seq(), revert.toString(), run.guardTimeout())));
        return r.ok() ? null : "could not arm the lockout guard: " + r.err().strip();
    }

    /**
     * What goes before each step's script: a firewall step holds the guard's step lock, so a revert
     * waits for it; an sshd step does not (a restarted sshd would inherit the lock for good).
     */
    String stepPrefix(Guarded g) {
        return g == null || g.risk() == Risk.SSH ? "" : run.guard().stepPrefix(run.runId(), g.entry().seq());
    }

    /**
     * Proves the host still takes NEW SSH connections after a guarded change, then disarms the
     * guard. If not, the change is reverted at once through this session (or, if that is gone too,
     * by the guard itself when its timer fires). Null, or why the change failed.
     */
    String confirm(Guarded g) {
        String problem = run.confirmReachable(host);
        if (problem != null) {
            return "after this change the host refused new SSH connections (" + problem + "); " + revert(g);
        }
        try {
            ExecResult r = session.exec(Command.root(run.guard().disarm(run.runId(), g.entry().seq())));
            if (r.rc() == Guard.FIRED) {
                restored(g);
                return "the lockout guard fired before it was disarmed (the change took over "
                        + run.guardTimeout().toSeconds() + " s): the firewall was restored";
            }
            if (r.rc() == Guard.FIRED_FAILED) {
                // Not marked restored: the host rollback tries the restore again.
                return "the lockout guard fired before it was disarmed, and its restore failed: " + r.err().strip();
            }
            return r.ok() ? null : "could not disarm the lockout guard: " + r.err().strip();
        } catch (IOException ex) {
            return "the host stopped answering after the change (" + ex.getMessage() + "); the lockout guard restores it within "
                    + run.guardTimeout().toSeconds() + " s of arming";
        }
    }

    /** Runs the revert now (the change failed, or was not confirmed); says what became of it. */
    String revert(Guarded g) {
        try {
            ExecResult r = session.exec(Command.root(run.guard().fireNow(run.runId(), g.entry().seq())));
            if (r.ok()) {
                restored(g);
                return "the change was reverted";
            }
            return "reverting it failed: " + r.err().strip();
        } catch (IOException ex) {
            return "the lockout guard restores it within " + run.guardTimeout().toSeconds() + " s of arming";
        }
    }

    /** After the guard reverted {@code g}: every entry its revert restored is done. */
    private void restored(Guarded g) {
        for (Ledger.Entry x : g.reverts()) run.ledger(host).markRestored(x.seq());
    }
}
