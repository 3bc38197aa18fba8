package dev.moat.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import dev.moat.journal.Ledger;
import dev.moat.journal.Restorer;
import dev.moat.journal.Undo;
import dev.moat.playbook.Play;

/**
 * The part of a failed host's rollback that lies on other hosts: what its tasks changed there
 * through {@code delegate_to}, journaled in the delegate's ledger as this host's. Each delegate is
 * restored over its own connection, under its change lock, newest first.
 *
 * <p>An entry is left alone, and said so, when a later change of this run by another host (the
 * delegate's own tasks, or another host delegating to it) touched the same thing: restoring the
 * older snapshot would silently undo that host's change as well. {@code moat rollback RUN_ID}
 * restores the delegate's whole run, in order, when that is what is wanted.
 */
final class DelegatedRollback {
    private final String host;
    private final Play play;
    private final RunContext run;

    DelegatedRollback(String host, Play play, RunContext run) {
        this.host = host;
        this.play = play;
        this.run = run;
    }

    /** Restores this host's delegated changes (of play {@code playId}'s block {@code block}, or all when null), reports each delegate; whether all were restored. */
    boolean restore(String playId, int block) {
        boolean ok = true;
        for (Map.Entry<String, Ledger> d : run.ledgers().entrySet()) {
            String delegate = d.getKey();
            if (delegate.equals(host)) continue;
            List<Ledger.Entry> mine = d.getValue().delegatedBy(host, playId, block);
            if (mine.isEmpty()) continue;
            Done done = restoreOn(delegate, d.getValue(), mine);
            report(delegate, done);
            ok &= done.ok();
        }
        return ok;
    }

    /** What restoring {@code mine} on {@code delegate} came to: one line for the report, and whether all of it was restored. */
    record Done(String message, boolean ok) {}

    private Done restoreOn(String delegate, Ledger ledger, List<Ledger.Entry> mine) {
        List<Restorer.Item> items = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (Ledger.Entry e : mine) {
            Ledger.Entry later = laterChange(ledger, e);
            if (later == null) items.add(new Restorer.Item(e.seq(), e.undo(), e.task()));
            else held.add(Restorer.describe(e.undo()) + " (a later change by " + (later.by() == null ? delegate : later.by())
                    + ", '" + later.task() + "', touched it too)");
        }
        Restorer.Outcome done = null;
        String lost = null;
        if (!items.isEmpty()) {
            ReentrantLock lock = run.changeLock(delegate);
            lock.lock();
            try {
                HostSession on = run.delegateSession(delegate, play);
                done = new Restorer(run.snapshots(), run.runId()).restore(on::exec, items);
                for (Restorer.Item i : done.settled()) ledger.markRestored(i.seq());
                on.touched(Set.of("*"));
            } catch (IOException | RuntimeException e) {
                lost = e.getMessage() == null ? e.toString() : e.getMessage();
            } finally {
                lock.unlock();
            }
        }
        return describe(delegate, mine.size(), done, lost, held);
    }

    static Done describe(String delegate, int total, Restorer.Outcome done, String lost, List<String> held) {
        List<String> problems = new ArrayList<>();
        if (lost != null) problems.add("could not reach " + delegate + ": " + lost);
        if (done != null) problems.addAll(done.problems());
        if (!held.isEmpty()) problems.add("left as they are: " + String.join("; ", held));
        int restored = done == null ? 0 : done.restored();
        String msg = "on " + delegate + " (delegated): restored " + restored + " of " + total + " change(s)";
        if (done != null && !done.irreversible().isEmpty()) msg += "; cannot be undone, left as they are: " + String.join("; ", done.irreversible());
        if (!problems.isEmpty()) msg += "; NOT restored: " + String.join("; ", problems)
                + "; `moat rollback " + "RUN_ID --limit " + delegate + "` restores the delegate's whole run";
        return new Done(msg, problems.isEmpty());
    }

    private void report(String delegate, Done d) {
        String msg = d.message().replace("RUN_ID", run.runId());
        run.listener().taskResult(new TaskResult(host, "rollback", "rollback", null, d.ok() ? Status.OK : Status.FAILED, false, msg,
                null, null, Map.of(), 0, false, null));
    }

    /**
     * A change made after {@code e} on the same host, by another host's task (or the host's own), to
     * the same thing, not yet restored; null when there is none.
     */
    static Ledger.Entry laterChange(Ledger ledger, Ledger.Entry e) {
        String what = resource(e.undo());
        if (what == null) return null;
        for (Ledger.Entry x : ledger.toUndo(null, 0)) {
            if (x.seq() <= e.seq() || java.util.Objects.equals(x.by(), e.by())) continue;
            if (what.equals(resource(x.undo()))) return x;
        }
        return null;
    }

    /** What an undo restores, as a key two entries share when they touch the same thing; null for what restores nothing. */
    static String resource(Undo u) {
        if (u instanceof Undo.Reload || u instanceof Undo.Irreversible) return null;
        if (u instanceof Undo.RestorePath p) return "path " + p.path();
        if (u instanceof Undo.RestoreService s) return "service " + s.name();
        if (u instanceof Undo.RestoreUnit s) return "service " + s.name();
        if (u instanceof Undo.RecreateCompose c) return "compose " + c.composeFile();
        return u.getClass().getSimpleName() + " " + Restorer.describe(u);
    }
}
