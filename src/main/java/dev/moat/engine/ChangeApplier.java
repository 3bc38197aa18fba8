package dev.moat.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.moat.journal.Ledger;
import dev.moat.journal.Undo;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Sh;
import dev.moat.transport.UnreachableException;

/**
 * Applies one plan on one host, safely: journals what its undo needs (one round trip, before
 * anything changes), arms the lockout guard its risks call for, runs its steps in order, records
 * what the change turned out to be (settle), and proves the host still answers SSH (or reverts).
 * Returns what happened as an {@link Applied}; the play decides what it means for the task.
 */
final class ChangeApplier {
    private final String host;
    private final String play;
    private final HostSession session;
    private final RunContext run;
    private final LockoutGuard guard;
    /** The host whose task this applies through {@code delegate_to}, or null for the host's own tasks. */
    private final String by;

    /** {@code play} identifies the play in the ledger (see {@link HostPlay}). */
    ChangeApplier(String host, String play, HostSession session, RunContext run) {
        this(host, play, session, run, null);
    }

    /** Applies on {@code host} the tasks that host {@code by} delegates to it (journaled in {@code host}'s ledger as {@code by}'s). */
    ChangeApplier(String host, String play, HostSession session, RunContext run, String by) {
        this.by = by;
        this.host = host;
        this.play = play;
        this.session = session;
        this.run = run;
        this.guard = new LockoutGuard(host, session, run);
    }

    /**
     * Applies {@code plan} of task {@code task} (in top-level item {@code block}) as {@code as}, each
     * step with the task's {@code environment} exported first (a secret there keeps the steps out of logs).
     * {@code journal} false applies without journaling: handlers rerun by a rollback.
     *
     * @throws UnreachableException when the host stopped answering mid-change (an armed guard then
     *                              reverts by itself)
     */
    Applied apply(Plan plan, String task, int block, RunAs as, boolean noLog, boolean journal, Map<String, String> environment)
            throws UnreachableException {
        // One change at a time on a host, whichever host's thread makes it (delegate_to), so its journal stays in order.
        java.util.concurrent.locks.ReentrantLock lock = run.changeLock(host);
        lock.lock();
        try {
            return applyLocked(plan, task, block, as, noLog, journal, environment);
        } finally {
            lock.unlock();
        }
    }

    private Applied applyLocked(Plan plan, String task, int block, RunAs as, boolean noLog, boolean journal, Map<String, String> environment)
            throws UnreachableException {
        List<Ledger.Entry> entries;
        LockoutGuard.Guarded guarded;
        try {
            entries = journal && !plan.undo().isEmpty() ? journal(plan, task, block, noLog) : List.of();
            guarded = guard.of(plan, entries);
            if (guarded != null) arm(guarded);
        } catch (Refused e) {
            return Applied.refused(e.getMessage());
        }
        Applied steps = steps(plan, as, noLog, guarded, exports(environment));
        String unsafe = steps.ranSteps() && journal ? settle(entries) : null;
        if (guarded != null) {
            FaultInjection.pauseBeforeConfirm();
            if (steps.failure() != null || unsafe != null) guard.revert(guarded);
            else unsafe = guard.confirm(guarded);
        }
        return steps.failure() == null && unsafe != null ? new Applied(steps.last(), unsafe, true, steps.ranSteps()) : steps;
    }

    private void arm(LockoutGuard.Guarded g) throws UnreachableException, Refused {
        String unarmed;
        try {
            unarmed = guard.arm(g);
        } catch (UnreachableException e) {
            throw e;
        } catch (IOException e) {
            unarmed = e.getMessage();
        }
        if (unarmed != null) {
            guard.revert(g); // in case it was armed half-way: nothing changed yet, so nothing is lost
            throw new Refused(unarmed);
        }
    }

    /** Runs the plan's steps in order, up to the first that fails. */
    private Applied steps(Plan plan, RunAs as, boolean noLog, LockoutGuard.Guarded g, String exports) throws UnreachableException {
        ExecResult last = null;
        try {
            for (Step s : plan.steps()) {
                String script = guard.stepPrefix(g) + exports + s.script();
                // Over the task's login user's connection; the journal, guard and settle above and below run over the host's own, as root.
                last = session.exec(as, new Command(script, s.stdin(), as.become(), as.user(), null, s.sensitive() || noLog));
                if (!last.ok()) return new Applied(last, failed(s, last), false, true);
                if (s.fetch() != null) {
                    String problem = ControllerWrite.write(s.fetch(), last.stdout());
                    if (problem != null) return new Applied(last, s.describe() + " failed: " + problem, false, true);
                }
            }
        } catch (UnreachableException e) {
            throw e;
        } catch (IOException e) {
            return new Applied(last, e.getMessage(), false, true);
        }
        return new Applied(last, null, false, !plan.steps().isEmpty());
    }

    /** {@code export K='v' ...} for a step script, or nothing: how Ansible's {@code environment:} reaches the program a step runs. */
    static String exports(Map<String, String> environment) {
        if (environment.isEmpty()) return "";
        StringBuilder out = new StringBuilder("export");
        environment.forEach((k, v) -> out.append(' ').append(k).append('=').append(Sh.q(v)));
        return out.append('\n').toString();
    }

    private static String failed(Step s, ExecResult r) {
        String err = r.err().strip();
        if (err.isEmpty()) err = r.out().strip();
        return s.describe() + " failed (exit " + r.rc() + ")" + (err.isEmpty() ? "" : ": " + err);
    }

    /** Why a change was not made: its journal could not be taken, or its guard not armed. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** Takes the snapshots a plan's undo needs, in one round trip, before its first step; the entries made. */
    private List<Ledger.Entry> journal(Plan plan, String task, int block, boolean noLog) throws UnreachableException, Refused {
        StringBuilder script = new StringBuilder();
        Ledger ledger = run.ledger(host);
        if (!ledger.isOpen()) script.append(Sh.subshell(run.snapshots().open(run.runId()), "exit $r"));
        List<Ledger.Entry> entries = new ArrayList<>();
        for (Undo u : plan.undo()) {
            int seq = ledger.nextSeq();
            script.append(Sh.subshell(run.snapshots().snapshot(run.runId(), seq, u), "exit $r"));
            entries.add(new Ledger.Entry(seq, u, task, play, block, false, noLog, by));
        }
        run.listener().journaling(host, List.copyOf(entries));
        ExecResult r;
        try {
            r = session.exec(Command.root(script.toString()));
        } catch (UnreachableException e) {
            throw e;
        } catch (IOException e) {
            throw new Refused(e.getMessage());
        }
        if (!r.ok()) throw new Refused("could not journal the change before making it (exit " + r.rc() + "): " + r.err().strip());
        ledger.opened();
        for (Ledger.Entry e : entries) ledger.add(e);
        // One "@@journal PATH present MODE OWNER SHA" or "@@journal PATH absent" line per saved path, in order.
        Iterator<String> lines = r.out().lines().filter(l -> l.startsWith("@@journal ")).iterator();
        for (Ledger.Entry e : entries) {
            boolean saved = e.undo() instanceof Undo.RestorePath || e.undo() instanceof Undo.RestoreFirewall;
            if (saved && lines.hasNext()) {
                String l = lines.next().substring("@@journal ".length());
                String path = e.undo() instanceof Undo.RestorePath p ? p.path() : "/etc/ufw";
                ledger.summarize(e.seq(), l.startsWith(path + " ") ? l.substring(path.length() + 1) : l);
            }
        }
        return List.copyOf(entries);
    }

    /**
     * Records on the host, right after the steps (failed or not), what the change turned out to be,
     * and completes its journal entries with it: a package install's undo then names every package
     * it added, dependencies included. Null, or why that could not be recorded.
     */
    private String settle(List<Ledger.Entry> entries) {
        Ledger ledger = run.ledger(host);
        for (Ledger.Entry e : entries) {
            String script = run.snapshots().settle(run.runId(), e.seq(), e.undo());
            if (script == null) continue;
            try {
                ExecResult r = session.exec(Command.root(script));
                if (!r.ok()) return "could not record what the change installed (exit " + r.rc() + "): " + r.err().strip();
                ledger.settle(e.seq(), run.snapshots().settled(e.undo(), r.out()));
            } catch (IOException ex) {
                return "could not record what the change installed: " + ex.getMessage();
            }
        }
        return null;
    }
}
