package dev.moat.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.journal.Ledger;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.Fact;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.playbook.Block;
import dev.moat.playbook.Play;
import dev.moat.playbook.Rollback;
import dev.moat.playbook.Task;
import dev.moat.playbook.TaskItem;
import dev.moat.playbook.VarScope;
import dev.moat.template.Templar;
import dev.moat.template.Vars;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.UnreachableException;

/**
 * One play on one host. Reads every fact the play can know up front in one round trip, then runs
 * the tasks in order: each is planned against the facts and, unless checking, journaled and
 * applied; notified handlers run at the end. A failed task stops the host, and the host's changes
 * are rolled back as the play's {@code rollback:} says.
 */
final class HostPlay {
    private static final Object NO_LOOP = new Object();

    private final String host;
    private final Play play;
    private final HostSession session;
    private final VarScope scope;
    private final RunContext run;
    private final Set<String> notified = new LinkedHashSet<>();
    private final Set<String> registerNames = new LinkedHashSet<>();
    private HostRecap recap;
    private boolean unreachable;
    /** The top-level item running now: the unit {@code rollback: block} undoes. */
    private int unit = -1;
    private Rollback unitRollback;
    private boolean rollingBack;

    HostPlay(String host, Play play, HostSession session, VarScope scope, RunContext run, HostRecap recap) {
        this.host = host;
        this.play = play;
        this.session = session;
        this.scope = scope;
        this.run = run;
        this.recap = recap;
        for (Task t : play.allTasks()) if (t.register() != null) registerNames.add(t.register());
        for (Task t : play.handlers()) if (t.register() != null) registerNames.add(t.register());
    }

    HostRecap recap() {
        return recap;
    }

    /** Runs the play; false when the host failed or became unreachable. */
    boolean run() {
        boolean ok;
        try {
            prefetch();
            ok = runTop() && runHandlers();
        } catch (RuntimeException e) {
            // A bug or an unexpected error must not leave this host half-changed: fail and roll back.
            report(failure("internal error", "moat", null, "internal error: " + e + " (run with --debug for details)", false));
            ok = false;
        }
        if (ok) return true;
        if (!unreachable && !run.options().check()) rollback();
        return false;
    }

    /** Identifies this play in the ledger: its place in the playbook (names may be absent or repeated). */
    private String playKey() {
        return String.valueOf(play.mark());
    }

    private Templar templar() {
        return run.templar();
    }

    // ---- reading ahead ---------------------------------------------------------------------

    /**
     * Declares the reads of every task that does not depend on a registered result and reads them
     * in one go per user they run as: one round trip when the play's tasks share a become user
     * (the common case), never one user's reads in a script run as another.
     */
    private void prefetch() {
        Map<RunAs, List<Fact<?>>> reads = new LinkedHashMap<>();
        for (Task t : play.allTasks()) collectReads(t, reads);
        for (Map.Entry<RunAs, List<Fact<?>>> e : reads.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            try {
                session.read(e.getValue(), e.getKey());
            } catch (IOException | TaskException | RuntimeException ex) {
                // The first task that needs these facts reads them again and reports the problem.
            }
        }
    }

    private void collectReads(Task t, Map<RunAs, List<Fact<?>>> out) {
        if (!run.options().selects(new LinkedHashSet<>(t.tags())) || dependsOnRegistered(t)) return;
        Module<?> m = run.modules().get(t.module());
        if (m == null || m.local()) return;
        try {
            VarScope vars = scope.withTaskVars(t.vars());
            if (!conditionsHold(t.when(), vars)) return;
            List<Fact<?>> reads = out.computeIfAbsent(runAs(t, vars), k -> new ArrayList<>());
            for (Object item : loopItems(t, vars)) {
                reads.addAll(reads(m, bind(m, t, item == NO_LOOP ? vars : withItem(t, vars, item))));
            }
        } catch (TaskException | ArgException | RuntimeException e) {
            // Left to the task itself, which reports it with its place.
        }
    }

    private boolean dependsOnRegistered(Task t) {
        if (registerNames.isEmpty()) return false;
        Set<String> used = new LinkedHashSet<>();
        collectVariables(t.args(), used);
        collectVariables(t.loop(), used);
        for (String w : t.when()) used.addAll(Templar.variables(w, true));
        for (String r : registerNames) if (used.contains(r)) return true;
        return false;
    }

    private static void collectVariables(Object v, Set<String> out) {
        if (v instanceof String s) {
            if (Templar.isTemplate(s)) out.addAll(Templar.variables(s, false));
        } else if (v instanceof Map<?, ?> m) {
            for (Object o : m.values()) collectVariables(o, out);
        } else if (v instanceof List<?> l) {
            for (Object o : l) collectVariables(o, out);
        }
    }

    // ---- running ---------------------------------------------------------------------------

    private boolean runTop() {
        List<TaskItem> items = play.tasks();
        for (int i = 0; i < items.size(); i++) {
            if (run.stopping()) return interrupted();
            unit = i;
            unitRollback = items.get(i) instanceof Block b && b.rollback() != null ? b.rollback() : null;
            if (!runItem(items.get(i))) return false;
        }
        return true;
    }

    private boolean interrupted() {
        report(failure("interrupted", "moat", null, "interrupted: no new task was started", false));
        return false;
    }

    private boolean runItems(List<TaskItem> items) {
        for (TaskItem item : items) {
            if (run.stopping()) return interrupted();
            if (!runItem(item)) return false;
        }
        return true;
    }

    private boolean runItem(TaskItem item) {
        return item instanceof Block b ? runBlock(b) : runTask((Task) item);
    }

    /** A block: its tasks; on failure its rescue; then its always section, whatever happened. */
    private boolean runBlock(Block b) {
        try {
            if (!conditionsHold(b.when(), scope.withTaskVars(b.vars()))) return true;
        } catch (TaskException | RuntimeException e) {
            report(failure(b.name() == null ? "block" : b.name(), "block", where(b.mark()), message(e), b.noLog()));
            return false;
        }
        boolean ok = runItems(b.block());
        if (!ok && !unreachable && !b.rescue().isEmpty() && !run.stopping()) ok = runItems(b.rescue());
        if (!unreachable && !b.always().isEmpty()) ok = runItems(b.always()) && ok;
        return ok;
    }

    private boolean runHandlers() {
        for (Task h : play.handlers()) {
            boolean wanted = notified.contains(h.name());
            for (String l : h.listen()) wanted |= notified.contains(l);
            if (wanted && !runTask(h)) return false;
        }
        return true;
    }

    private boolean runTask(Task t) {
        if (!run.options().selects(new LinkedHashSet<>(t.tags()))) return true;
        String name = t.displayName();
        run.listener().taskStart(host, name);
        long t0 = System.nanoTime();
        TaskResult result;
        VarScope vars = scope.withTaskVars(t.vars());
        try {
            if (!conditionsHold(t.when(), vars)) {
                result = new TaskResult(host, name, t.module(), where(t.mark()), Status.SKIPPED, false, "condition false",
                        null, null, Map.of("changed", false, "skipped", true), ms(t0), t.noLog(), null);
            } else {
                List<Object> items = loopItems(t, vars);
                result = items.size() == 1 && items.get(0) == NO_LOOP ? runOnce(t, vars, t0) : runLoop(t, vars, items, t0);
            }
        } catch (TaskException | RuntimeException e) {
            result = withIgnore(failure(name, t.module(), where(t.mark()), message(e), t.noLog()), t);
        }
        if (t.register() != null) scope.register(t.register(), result.registered());
        if (result.changed()) notified.addAll(t.notifies());
        report(result);
        if (result.status() == Status.UNREACHABLE) {
            unreachable = true;
            return false;
        }
        return !result.fatal();
    }

    private static String message(Exception e) {
        return e instanceof TaskException || e instanceof dev.moat.MoatException ? e.getMessage() : e.toString();
    }

    private TaskResult runLoop(Task t, VarScope vars, List<Object> items, long t0) throws TaskException {
        List<TaskResult> results = new ArrayList<>();
        List<Object> registeredItems = new ArrayList<>();
        boolean changed = false, anyFailed = false, anyRan = false;
        List<Diff> diffs = new ArrayList<>();
        List<Undo> undo = new ArrayList<>();
        for (Object item : items) {
            TaskResult r;
            try {
                r = runOnce(t, withItem(t, vars, item), System.nanoTime());
            } catch (TaskException | RuntimeException e) {
                r = withIgnore(failure(t.displayName(), t.module(), where(t.mark()), message(e), t.noLog()), t);
            }
            if (r.status() == Status.UNREACHABLE) return r;
            results.add(r);
            Map<String, Object> reg = new LinkedHashMap<>(r.registered());
            reg.put(t.loopControl().loopVar(), item);
            registeredItems.add(reg);
            diffs.addAll(r.diffs());
            undo.addAll(r.undo());
            changed |= r.changed();
            anyRan |= r.status() != Status.SKIPPED;
            if (r.status() == Status.FAILED && !r.ignored()) {
                anyFailed = true;
                break;
            }
        }
        Status status = anyFailed ? Status.FAILED : changed ? Status.CHANGED : anyRan ? Status.OK : Status.SKIPPED;
        Map<String, Object> reg = new LinkedHashMap<>();
        reg.put("changed", changed);
        reg.put("failed", anyFailed);
        reg.put("skipped", status == Status.SKIPPED);
        reg.put("results", registeredItems);
        String msg = anyFailed ? results.get(results.size() - 1).message() : null;
        TaskResult agg = new TaskResult(host, t.displayName(), t.module(), where(t.mark()), status, false, msg, diffs,
                undo, reg, ms(t0), t.noLog(), results);
        return anyFailed ? withIgnore(agg, t) : agg;
    }

    /** One task, or one loop item: render, check arguments, read, plan, and (unless checking) journal and apply. */
    private TaskResult runOnce(Task t, Vars vars, long t0) throws TaskException {
        Module<?> m = run.modules().get(t.module());
        if (m == null) throw new TaskException("unknown module '" + t.module() + "'");
        Object bound;
        try {
            bound = bind(m, t, vars);
        } catch (ArgException e) {
            throw new TaskException(e.getMessage());
        }
        return planAndApply(m, bound, t, vars, t0);
    }

    @SuppressWarnings("unchecked")
    private <A> TaskResult planAndApply(Module<A> m, Object boundArgs, Task t, Vars vars, long t0) throws TaskException {
        A a = (A) boundArgs;
        String name = t.displayName();
        String where = where(t.mark());
        Plan plan;
        RunAs as = runAs(t, vars);
        try {
            if (!m.local()) session.read(m.reads(a), as);
            plan = m.plan(a, session.facts(as), context(vars, checking(t)));
        } catch (UnreachableException e) {
            return unreachable(name, t, e.getMessage());
        } catch (IOException e) {
            throw new TaskException("reading the host: " + e.getMessage());
        }
        plan = withSshdGuard(plan);
        Map<String, Object> reg = new LinkedHashMap<>(plan.result());
        if (plan.skip() != null) {
            reg.put("changed", false);
            reg.put("skipped", true);
            reg.put("msg", plan.skip());
            return new TaskResult(host, name, t.module(), where, Status.SKIPPED, false, plan.skip(), plan.diffs(),
                    plan.undo(), reg, ms(t0), t.noLog(), null);
        }
        boolean changed = plan.changes();
        boolean apply = changed && !checking(t);
        // Handlers rerun by a rollback (to reload restored files) are not journaled again.
        boolean journaled = apply && !rollingBack;
        ExecResult last = null;
        String failure = null;
        boolean ranSteps = false;
        boolean safetyFailure = false;
        Guarded guarded = null;
        try {
            if (journaled && !plan.undo().isEmpty()) failure = journal(plan, t);
            if (apply && failure == null) {
                guarded = guarded(plan);
                if (guarded != null) failure = arm(guarded);
            }
            safetyFailure = failure != null;
            if (apply && failure == null) {
                for (Step s : plan.steps()) {
                    ranSteps = true;
                    // A firewall step holds the guard's step lock (sshd steps don't: a restarted sshd would inherit it for good).
                    String script = guarded == null || sshEntry(guarded.entry()) ? s.script()
                            : run.guard().stepPrefix(run.runId(), guarded.entry().seq()) + s.script();
                    last = session.exec(new Command(script, s.stdin(), as.become(), as.user(), null, s.sensitive() || t.noLog()));
                    if (!last.ok()) {
                        String err = last.err().strip();
                        if (err.isEmpty()) err = last.out().strip();
                        failure = s.describe() + " failed (exit " + last.rc() + ")" + (err.isEmpty() ? "" : ": " + err);
                        break;
                    }
                }
            }
        } catch (UnreachableException e) {
            return unreachable(name, t, e.getMessage());
        } catch (IOException e) {
            failure = e.getMessage();
        }
        if (ranSteps && journaled) {
            String unsettled = settle(plan);
            if (unsettled != null && failure == null) {
                failure = unsettled;
                safetyFailure = true;
            }
        }
        if (guarded != null) {
            faultPause();
            String problem = failure == null ? confirm(guarded) : revertGuarded(guarded);
            if (failure == null && problem != null) {
                failure = problem;
                safetyFailure = true;
            }
        }
        if (last != null) {
            reg.put("rc", last.rc());
            reg.put("stdout", stripNl(last.out()));
            reg.put("stdout_lines", lines(last.out()));
            reg.put("stderr", stripNl(last.err()));
            reg.put("stderr_lines", lines(last.err()));
        }
        reg.put("changed", changed);
        reg.put("failed", failure != null);
        if (failure != null) reg.put("msg", failure);
        else if (plan.message() != null) reg.put("msg", plan.message());
        // changed_when / failed_when see the result under its registered name, as in Ansible.
        if (!t.changedWhen().isEmpty() || !t.failedWhen().isEmpty()) {
            // The registered map is shared by every view of this host's scope, loop items included.
            if (t.register() != null) scope.register(t.register(), reg);
            Vars self = vars;
            if (!t.changedWhen().isEmpty() && failure == null) {
                changed = conditionsHold(t.changedWhen(), self);
                reg.put("changed", changed);
            }
            if (!t.failedWhen().isEmpty()) {
                boolean f = conditionsHold(t.failedWhen(), self);
                if (f && failure == null) failure = "failed_when is true: " + String.join(" and ", t.failedWhen());
                // failed_when judges the command's result; it cannot excuse a change that was never
                // journaled, a guard that could not be disarmed, or a reverted firewall change.
                if (!f && !safetyFailure) failure = null;
                reg.put("failed", failure != null);
            }
        }
        // What the steps touched goes stale, unless the task itself says it changed nothing
        // (changed_when: false on a read-only command) and no step failed half-way.
        if (ranSteps && (changed || failure != null)) session.touched(plan.touches());
        Status status = failure != null ? Status.FAILED : changed ? Status.CHANGED : Status.OK;
        TaskResult r = new TaskResult(host, name, t.module(), where, status, false,
                failure != null ? failure : plan.message(), plan.diffs(), plan.undo(), reg, ms(t0), t.noLog(), null);
        return status == Status.FAILED ? withIgnore(r, t) : r;
    }

    // ---- journal, guard and rollback ----------------------------------------------------------

    /** Takes the snapshots a plan's undo needs, in one round trip, before its first step. */
    private String journal(Plan plan, Task t) throws IOException {
        StringBuilder script = new StringBuilder();
        Ledger ledger = run.ledger(host);
        if (!ledger.isOpen()) script.append("(").append(run.snapshots().open(run.runId())).append(") || exit $?\n");
        List<Ledger.Entry> entries = new ArrayList<>();
        for (Undo u : plan.undo()) {
            int seq = ledger.nextSeq();
            script.append("(").append(run.snapshots().snapshot(run.runId(), seq, u)).append(") || exit $?\n");
            entries.add(new Ledger.Entry(seq, u, t.displayName(), playKey(), unit, false));
        }
        run.listener().journaling(host, List.copyOf(entries));
        ExecResult r = session.exec(Command.root(script.toString()));
        if (!r.ok()) return "could not journal the change before making it (exit " + r.rc() + "): " + r.err().strip();
        ledger.opened();
        for (Ledger.Entry e : entries) ledger.add(e);
        // One "@@journal PATH present MODE OWNER SHA" or "@@journal PATH absent" line per saved path, in order.
        java.util.Iterator<String> lines = r.out().lines().filter(l -> l.startsWith("@@journal ")).iterator();
        for (Ledger.Entry e : entries) {
            boolean saved = e.undo() instanceof Undo.RestorePath || e.undo() instanceof Undo.RestoreFirewall;
            if (saved && lines.hasNext()) {
                String l = lines.next().substring("@@journal ".length());
                String path = e.undo() instanceof Undo.RestorePath p ? p.path() : "/etc/ufw";
                ledger.summarize(e.seq(), l.startsWith(path + " ") ? l.substring(path.length() + 1) : l);
            }
        }
        return null;
    }

    /**
     * Makes sshd run with a restored /etc/ssh: a reload (SIGHUP: sshd re-executes itself with the
     * configuration, listen addresses included, under the same PID; open sessions survive), else a
     * restart when no sshd runs.
     */
    static final String SSHD_RESTART = "if [ -d /run/systemd/system ]; then "
            + "systemctl reload ssh 2>/dev/null || systemctl reload sshd 2>/dev/null || systemctl restart ssh 2>/dev/null || systemctl restart sshd; "
            + "elif [ -s /run/sshd.pid ] && kill -0 \"$(cat /run/sshd.pid)\" 2>/dev/null; then kill -HUP \"$(cat /run/sshd.pid)\"; sleep 1; "
            + "else service ssh start >/dev/null 2>&1 || /etc/init.d/ssh start; fi";

    /**
     * A task that restarts or reloads sshd (it touches {@code service:ssh} or {@code service:sshd})
     * is what makes an sshd configuration change take effect, so it is guarded like a firewall
     * change: /etc/ssh is journaled first, and the guard's revert restores it and restarts sshd.
     */
    private Plan withSshdGuard(Plan plan) {
        if (!plan.changes() || !(plan.touches().contains("service:ssh") || plan.touches().contains("service:sshd"))) return plan;
        List<Undo> undo = new ArrayList<>();
        undo.add(new Undo.Reload("sshd"));
        undo.add(new Undo.RestorePath(SSH_DIR));
        undo.addAll(plan.undo());
        return new Plan(plan.steps(), plan.diffs(), undo, plan.touches(), plan.result(), plan.message(), plan.skip());
    }

    private static final String SSH_DIR = "/etc/ssh";

    private static boolean sshEntry(Ledger.Entry e) {
        return e.undo() instanceof Undo.RestorePath p && (p.path().equals(SSH_DIR) || p.path().startsWith(SSH_DIR + "/"));
    }

    /** After the guard reverted {@code g}: every entry its revert restored is done. */
    private void markGuardRestored(Guarded g) {
        for (Ledger.Entry x : g.reverts()) run.ledger(host).markRestored(x.seq());
    }

    /**
     * A guarded change: the journal entry that made it risky, and every entry the guard's revert
     * restores, in the order it restores them.
     */
    private record Guarded(Ledger.Entry entry, List<Ledger.Entry> reverts) {}

    /**
     * What the guard of {@code plan} must put back. For a change to /etc/ssh: every /etc/ssh change
     * of the run, newest first (sshd may only now load what earlier tasks wrote there; their own
     * guards confirmed nothing while sshd still ran the old configuration). For a firewall change:
     * every path the plan journaled beside /etc/ufw (/etc/default/ufw when a default policy
     * changes), newest first, and the firewall entry last, since its restore reloads, enables or
     * disables ufw: the live firewall then runs exactly the saved files.
     */
    private Guarded guarded(Plan plan) {
        Ledger.Entry e = guardedEntry(plan);
        if (e == null) return null;
        List<Ledger.Entry> reverts = new ArrayList<>();
        for (Ledger.Entry x : run.ledger(host).toUndo(null, 0)) {
            if (sshEntry(e) ? sshEntry(x) : x.seq() != e.seq() && ownedBy(plan, x) && restorable(x)) reverts.add(x);
        }
        if (!sshEntry(e)) reverts.add(e);
        return new Guarded(e, List.copyOf(reverts));
    }

    private static boolean ownedBy(Plan plan, Ledger.Entry x) {
        for (Undo u : plan.undo()) if (u == x.undo()) return true;
        return false;
    }

    /** Whether the guard's revert can put an entry back by itself (not a reload, nor the irreversible). */
    private static boolean restorable(Ledger.Entry x) {
        return !(x.undo() instanceof Undo.Irreversible) && !(x.undo() instanceof Undo.Reload);
    }

    /**
     * Records on the host, right after the steps (failed or not), what the change turned out to be,
     * and completes its journal entries with it: a package install's undo then names every package
     * it added, dependencies included. Null, or why that could not be recorded.
     */
    private String settle(Plan plan) {
        Ledger ledger = run.ledger(host);
        for (Ledger.Entry e : ledger.entries()) {
            if (!ownedBy(plan, e)) continue;
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

    /** The journal entry a lockout guard protects: a firewall change, or one to sshd's configuration. */
    private Ledger.Entry guardedEntry(Plan plan) {
        for (Undo u : plan.undo()) {
            boolean risky = u instanceof Undo.RestoreFirewall || (u instanceof Undo.RestorePath p
                    && (p.path().equals(SSH_DIR) || p.path().startsWith(SSH_DIR + "/")));
            if (!risky) continue;
            List<Ledger.Entry> entries = run.ledger(host).entries();
            for (int i = entries.size() - 1; i >= 0; i--) if (entries.get(i).undo() == u) return entries.get(i);
        }
        return null;
    }

    /**
     * Fault injection for the end-to-end tests: {@code MOAT_FAULT_PAUSE_BEFORE_CONFIRM=S} holds a
     * guarded change for S seconds before its confirmation, so a test can kill moat inside the window.
     */
    private static void faultPause() {
        String s = System.getenv("MOAT_FAULT_PAUSE_BEFORE_CONFIRM");
        if (s == null || s.isBlank()) return;
        try {
            Thread.sleep(Long.parseLong(s.trim()) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NumberFormatException e) {
            // not a number: no pause
        }
    }

    private String arm(Guarded g) throws IOException {
        // Every restore is attempted, whatever became of the one before (a lockout guard must still
        // put the firewall back if, say, /etc/default/ufw could not be); the first failure is the status.
        StringBuilder revert = new StringBuilder("rc=0\n");
        for (Ledger.Entry x : g.reverts()) {
            revert.append("(\n").append(run.snapshots().restore(run.runId(), x.seq(), x.undo()))
                  .append("\n) || { r=$?; [ $rc = 0 ] && rc=$r; }\n");
        }
        if (sshEntry(g.entry())) revert.append(SSHD_RESTART).append(" || { r=$?; [ $rc = 0 ] && rc=$r; }\n");
        revert.append("exit $rc\n");
        ExecResult r = session.exec(Command.root(run.guard().arm(run.runId(), g.entry().seq(), revert.toString(), run.guardTimeout())));
        return r.ok() ? null : "could not arm the lockout guard: " + r.err().strip();
    }

    /**
     * Proves the host still takes NEW SSH connections after a guarded change, then disarms the
     * guard. If not, the change is reverted at once through this session (or, if that is gone too,
     * by the guard itself when its timer fires) and the task fails.
     */
    private String confirm(Guarded e) {
        String problem = run.confirmReachable(host);
        if (problem != null) {
            return "after this change the host refused new SSH connections (" + problem + "); " + revertGuarded(e);
        }
        try {
            ExecResult r = session.exec(Command.root(run.guard().disarm(run.runId(), e.entry().seq())));
            if (r.rc() == dev.moat.journal.Guard.FIRED) {
                markGuardRestored(e);
                return "the lockout guard fired before it was disarmed (the change took over "
                        + run.guardTimeout().toSeconds() + " s): the firewall was restored";
            }
            if (r.rc() == dev.moat.journal.Guard.FIRED_FAILED) {
                // Not marked restored: the host rollback tries the restore again.
                return "the lockout guard fired before it was disarmed, and its restore failed: " + r.err().strip();
            }
            return r.ok() ? null : "could not disarm the lockout guard: " + r.err().strip();
        } catch (IOException ex) {
            return "the host stopped answering after the change (" + ex.getMessage() + "); the lockout guard restores it within "
                    + run.guardTimeout().toSeconds() + " s of arming";
        }
    }

    private String revertGuarded(Guarded e) {
        try {
            ExecResult r = session.exec(Command.root(run.guard().fireNow(run.runId(), e.entry().seq())));
            if (r.ok()) {
                markGuardRestored(e);
                return "the change was reverted";
            }
            return "reverting it failed: " + r.err().strip();
        } catch (IOException ex) {
            return "the lockout guard restores it within " + run.guardTimeout().toSeconds() + " s of arming";
        }
    }

    /**
     * Undoes this host's changes after a failure, newest first: the whole run's ({@code rollback:
     * host}), the failing top-level block's ({@code block}), or nothing ({@code none},
     * {@code --no-rollback}); then reruns the handlers notified so far, so services pick up the
     * restored files.
     */
    private void rollback() {
        Rollback mode = run.options().noRollback() ? Rollback.NONE
                : unitRollback != null ? unitRollback : play.rollback() == null ? Rollback.HOST : play.rollback();
        if (mode == Rollback.NONE) {
            recap = recap.withNote("not rolled back (" + (run.options().noRollback() ? "--no-rollback" : "rollback: none") + ")");
            return;
        }
        Ledger ledger = run.ledger(host);
        List<Ledger.Entry> todo = mode == Rollback.BLOCK ? ledger.toUndo(playKey(), unit) : ledger.toUndo(null, 0);
        if (todo.isEmpty()) {
            recap = recap.withNote("nothing to roll back");
            return;
        }
        long t0 = System.nanoTime();
        List<String> problems = new ArrayList<>();
        List<String> irreversible = new ArrayList<>();
        int restored = 0;
        for (Ledger.Entry e : Ledger.reloadsLast(todo)) {
            if (e.undo() instanceof Undo.Irreversible i) {
                irreversible.add(i.what());
                continue;
            }
            try {
                ExecResult r = session.exec(Command.root(run.snapshots().restore(run.runId(), e.seq(), e.undo())));
                if (r.ok()) {
                    ledger.markRestored(e.seq());
                    restored++;
                } else {
                    problems.add(describe(e.undo()) + " (from '" + e.task() + "'): " + r.err().strip());
                }
            } catch (IOException ex) {
                problems.add(describe(e.undo()) + ": " + ex.getMessage());
                break;
            }
        }
        session.touched(Set.of("*"));
        rollingBack = true;
        try {
            if (!notified.isEmpty() && !runHandlers()) problems.add("a handler failed after the restore");
        } catch (RuntimeException e) {
            problems.add("a handler failed after the restore: " + e);
        } finally {
            rollingBack = false;
        }
        String scope = mode == Rollback.BLOCK ? "the failing block's " : "this run's ";
        String msg = problems.isEmpty()
                ? "restored " + scope + restored + " change(s), newest first, each verified against its snapshot"
                : "restored " + restored + " of " + (todo.size() - irreversible.size()) + " change(s); NOT restored: "
                        + String.join("; ", problems);
        if (!irreversible.isEmpty()) msg += "; cannot be undone, left as they are: " + String.join("; ", irreversible);
        Status st = problems.isEmpty() ? Status.OK : Status.FAILED;
        run.listener().taskResult(new TaskResult(host, "rollback", "rollback", null, st, false, msg, null, null, Map.of(),
                ms(t0), false, null));
        recap = recap.withNote(!problems.isEmpty() ? "rollback incomplete"
                : irreversible.isEmpty() ? "rolled back" : "rolled back, " + irreversible.size() + " action(s) irreversible");
    }

    static String describe(Undo u) {
        if (u instanceof Undo.RestorePath p) return p.path();
        if (u instanceof Undo.RestoreFirewall) return "the firewall";
        if (u instanceof Undo.RemovePackages r) return "packages " + r.names();
        if (u instanceof Undo.RestoreService s) return "service " + s.name();
        if (u instanceof Undo.RecreateCompose c) return "compose services " + c.services() + " of " + c.composeFile();
        if (u instanceof Undo.Reload r) return "reload of " + r.service();
        if (u instanceof Undo.Irreversible i) return i.what();
        return u.toString();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private TaskResult unreachable(String name, Task t, String message) {
        return new TaskResult(host, name, t.module(), where(t.mark()), Status.UNREACHABLE, false, message, null, null,
                Map.of("unreachable", true, "changed", false, "failed", true, "msg", message), 0, t.noLog(), null);
    }

    private TaskResult failure(String name, String module, String where, String message, boolean noLog) {
        Map<String, Object> reg = new LinkedHashMap<>();
        reg.put("changed", false);
        reg.put("failed", true);
        reg.put("msg", message);
        return new TaskResult(host, name, module, where, Status.FAILED, false, message, null, null, reg, 0, noLog, null);
    }

    private static TaskResult withIgnore(TaskResult r, Task t) {
        if (!t.ignoreErrors() || r.status() != Status.FAILED) return r;
        return new TaskResult(r.host(), r.task(), r.module(), r.where(), r.status(), true, r.message(), r.diffs(), r.undo(),
                r.registered(), r.millis(), r.noLog(), r.items());
    }

    private void report(TaskResult r) {
        recap = recap.add(r);
        run.listener().taskResult(r);
    }

    private Object bind(Module<?> m, Task t, Vars vars) throws ArgException, TaskException {
        Object rendered = templar().render(t.args(), vars);
        if (!(rendered instanceof Map<?, ?> map)) throw new TaskException("the arguments did not render to a mapping");
        @SuppressWarnings("unchecked")
        Args args = Args.check(m.spec(), (Map<String, ?>) map);
        return m.bind(args);
    }

    @SuppressWarnings("unchecked")
    private static <A> List<Fact<?>> reads(Module<A> m, Object a) {
        return m.reads((A) a);
    }

    private boolean conditionsHold(List<String> conditions, Vars vars) throws TaskException {
        for (String c : conditions) if (!templar().test(c, vars)) return false;
        return true;
    }

    private List<Object> loopItems(Task t, Vars vars) throws TaskException {
        if (t.loop() == null) return List.of(NO_LOOP);
        Object l = templar().render(t.loop(), vars);
        if (l instanceof List<?> list) return new ArrayList<>(list);
        if (l instanceof Map<?, ?>) throw new TaskException("loop must be a list; turn a mapping into one with dict2items");
        throw new TaskException("loop must be a list, not '" + l + "'");
    }

    private static Vars withItem(Task t, VarScope vars, Object item) {
        Map<String, Object> locals = new LinkedHashMap<>();
        locals.put(t.loopControl().loopVar(), item);
        return vars.withLocals(locals);
    }

    private boolean becomes(Task t) {
        if (t != null && t.become() != null) return t.become();
        if (play.become() != null) return play.become();
        Object b = scope.has("ansible_become") ? scope.get("ansible_become") : null;
        return b != null && Boolean.TRUE.equals(Args.toBool(b));
    }

    /**
     * Who the task runs as: {@code become} as {@link #becomes} says, as the innermost
     * {@code become_user} (task, block, play: already inherited into the task), else the
     * {@code ansible_become_user} variable, else the transport's default (root). A templated
     * {@code become_user} is rendered with the task's variables, as in Ansible.
     */
    private RunAs runAs(Task t, Vars vars) throws TaskException {
        boolean become = becomes(t);
        if (!become) return RunAs.LOGIN;
        String user = t.becomeUser();
        if (user == null && scope.has("ansible_become_user")) {
            Object v = scope.get("ansible_become_user");
            user = v == null ? null : String.valueOf(v);
        }
        if (user != null && Templar.isTemplate(user)) {
            try {
                user = templar().renderString(user, vars).strip();
            } catch (RuntimeException e) {
                throw new TaskException("become_user: " + message(e));
            }
        }
        return new RunAs(true, user);
    }

    /** Check mode for this task: the run's, unless the task says {@code check_mode: true|false} (as in Ansible). */
    private boolean checking(Task t) {
        return t.checkMode() != null ? t.checkMode() : run.options().check();
    }

    private PlanContext context(Vars vars, boolean check) {
        return new PlanContext() {
            @Override public String host() { return host; }
            @Override public boolean check() { return check; }
            @Override public Path localPath(String path, String subdir) { return run.localPath(path, subdir); }
            @Override public String render(String template) throws TaskException {
                try {
                    return templar().renderString(template, vars);
                } catch (RuntimeException e) {
                    throw new TaskException(message(e));
                }
            }
            @Override public Object eval(String expression) throws TaskException {
                try {
                    return templar().eval(expression, vars);
                } catch (RuntimeException e) {
                    throw new TaskException(message(e));
                }
            }
            @Override public Map<String, Object> vars() {
                Map<String, Object> m = new LinkedHashMap<>();
                for (String n : vars.names()) m.put(n, vars.get(n));
                return m;
            }
        };
    }

    private static String where(dev.moat.yaml.Mark m) {
        return m == null ? null : m.toString();
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String stripNl(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static List<String> lines(String s) {
        String x = stripNl(s);
        return x.isEmpty() ? List.of() : List.of(x.split("\n", -1));
    }
}
