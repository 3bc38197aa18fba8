package dev.moat.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.journal.Ledger;
import dev.moat.journal.Restorer;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.Diff;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.TaskException;
import dev.moat.playbook.Actions;
import dev.moat.playbook.Block;
import dev.moat.playbook.Include;
import dev.moat.playbook.Play;
import dev.moat.playbook.Rollback;
import dev.moat.playbook.Task;
import dev.moat.playbook.TaskItem;
import dev.moat.playbook.VarScope;
import dev.moat.template.Vars;
import dev.moat.transport.ControllerShell;
import dev.moat.transport.UnreachableException;

/**
 * One play on one host: the control flow. Reads every fact the play can know up front
 * ({@link ReadAhead}), then runs the tasks in order (blocks, loops, {@code when}, {@code register},
 * {@code changed_when}/{@code failed_when}); each is planned against the facts and, unless it only
 * checks ({@link CheckMode}), applied by the {@link ChangeApplier}; notified handlers run at the
 * end. A failed task stops the host, and the host's changes are rolled back as the play's
 * {@code rollback:} says.
 */
final class HostPlay {
    private final String host;
    private final Play play;
    private final HostSession session;
    private final VarScope scope;
    private final RunContext run;
    private final TaskEval eval;
    private final ChangeApplier applier;
    /** Every handler notified in this play: what a rollback reruns. */
    private final Set<String> notified = new LinkedHashSet<>();
    /** Handlers notified since the last flush. */
    private final Set<String> pending = new LinkedHashSet<>();
    /** The play's implicit fact gathering ({@link #gatherTask()}), or null. */
    private final Task gather;
    private final ReadAhead readAhead;
    private final PlayActions actions;
    private final Retries retries;
    private final Loops loops;
    /** Set by meta: end_host or end_play: no further task of this play runs on this host. */
    private boolean ended;
    /** The conditions of the includes running now, outermost first: part of why a task was reached. */
    private final List<String> includeConditions = new ArrayList<>();
    private HostRecap recap;
    private boolean unreachable;
    private boolean drifted;
    /** The top-level item running now: the unit {@code rollback: block} undoes. */
    private int unit = -1;
    private Rollback unitRollback;
    private boolean rollingBack;
    /** What this host shares with the rest of its batch: run_once results, throttles, any_errors_fatal. */
    private final BatchSync batch;
    /** How often each run_once task was reached here (an include's loop reaches one several times). */
    private final Map<Task, Integer> reached = new java.util.HashMap<>();
    /** How often each any_errors_fatal task was finished here. */
    private final Map<Task, Integer> passed = new java.util.HashMap<>();

    /** The user this play logs in as where the host's connection is another user's (an earlier play's), else null. */
    private final String playLogin;

    HostPlay(String host, Play play, String playLogin, HostSession session, VarScope scope, RunContext run, HostRecap recap, BatchSync batch) {
        this.host = host;
        this.playLogin = playLogin;
        this.batch = batch;
        this.play = play;
        this.session = session;
        this.scope = scope;
        this.run = run;
        this.recap = recap;
        this.eval = new TaskEval(host, run);
        // The play's place in the playbook identifies it in the ledger (names may be absent or repeated).
        this.applier = new ChangeApplier(host, String.valueOf(play.mark()), session, run);
        this.gather = gatherTask();
        this.readAhead = new ReadAhead(play, playLogin, gather, session, run, eval);
        this.actions = new PlayActions(run);
        this.retries = new Retries(this, scope, eval, run);
        this.loops = new Loops(this, eval, run);
    }

    String host() {
        return host;
    }

    HostRecap recap() {
        return recap;
    }

    /** Whether a task that only checked found something to change (a check run's drift). */
    boolean drifted() {
        return drifted;
    }

    /** Runs the play; false when the host failed or became unreachable. */
    boolean run() {
        batch.start(host);
        boolean ok;
        try {
            readAhead.read(List.of(new ReadAhead.Part(play.tasks(), scope)));
            ok = (gather == null || runTask(gather, scope)) && runTop() && runHandlers();
        } catch (RuntimeException | StackOverflowError e) {
            // A bug or an unexpected error (a runaway recursion included) must not leave this host half-changed:
            // fail and roll back.
            report(failure("internal error", "moat", null, "internal error: " + e + " (run with --debug for details)", false));
            ok = false;
        }
        if (endedByOther()) recap = recap.withNote("play ended: an any_errors_fatal task failed on " + batch.fatal());
        if (ok) return true;
        // A check run changes a host only through check_mode: false tasks, which journal what they change.
        if (!unreachable && (!run.options().check() || run.ledgers().containsKey(host))) rollback();
        return false;
    }

    // ---- running ---------------------------------------------------------------------------

    /**
     * Ansible's "Gathering Facts": an implicit {@code setup} task first, when the play says
     * {@code gather_facts} (the default) and can use a fact at all ({@link FactUse}); its read
     * goes into the play's read-ahead, so it adds no round trip.
     */
    private Task gatherTask() {
        if (!play.gatherFacts() || run.modules().get("setup") == null || !FactUse.needed(play, scope, (src, roleDir) -> run.localPath(src, "templates", roleDir))) return null;
        return new Task("Gathering Facts", "setup", FactUse.gatherArgs(play, scope, (src, roleDir) -> run.localPath(src, "templates", roleDir)), List.of(), null, null, null, List.of(), List.of("always"), false,
                false, List.of(), List.of(), play.become(), play.becomeUser(), List.of(), Map.of(), play.mark(), play.mark(),
                Map.of(), null, null, null);
    }

    private boolean runTop() {
        List<TaskItem> items = play.tasks();
        for (int i = 0; i < items.size(); i++) {
            if (run.stopping()) return interrupted();
            if (ended()) return true;
            unit = i;
            unitRollback = items.get(i) instanceof Block b && b.rollback() != null ? b.rollback() : null;
            if (!runItem(items.get(i), scope)) return false;
        }
        return true;
    }

    private boolean ended() {
        return ended || run.playEnded(play) || endedByOther();
    }

    /**
     * Whether hosts keep in step where a task asks it (run_once, any_errors_fatal); under
     * {@code strategy: free} Ansible runs a run_once task on every host and ignores
     * any_errors_fatal, with a warning (moat warns at load), and so does moat.
     */
    private boolean linear() {
        return !"free".equals(play.strategy());
    }

    /** Another host of the batch failed an any_errors_fatal task: this one starts no new task. */
    private boolean endedByOther() {
        return batch.fatal() != null && !batch.fatal().equals(host);
    }

    private boolean interrupted() {
        report(failure("interrupted", "moat", null, "interrupted: no new task was started", false));
        return false;
    }

    private boolean runItems(List<TaskItem> items, VarScope at) {
        for (TaskItem item : items) {
            if (run.stopping()) return interrupted();
            if (ended()) return true;
            if (!runItem(item, at)) return false;
        }
        return true;
    }

    /** An item in scope {@code at}: the play's, or an include's with its loop variable. */
    private boolean runItem(TaskItem item, VarScope at) {
        if (item instanceof Block b) return runBlock(b, at);
        if (item instanceof Include i) return runInclude(i, at);
        return runTask((Task) item, at);
    }

    /**
     * A block: its tasks; on failure its rescue; then its always section, whatever happened. A block
     * whose {@code when} is false still goes through its tasks, which carry that condition: each is
     * reported skipped, as Ansible reports the tasks of a skipped block, import or role.
     */
    private boolean runBlock(Block b, VarScope at) {
        try {
            eval.conditionsHold(b.when(), at.withRole(b.role()).withTaskVars(b.vars()));
        } catch (TaskException | RuntimeException e) {
            report(failure(b.name() == null ? "block" : b.name(), "block", where(b.mark()), TaskEval.message(e), b.noLog()));
            return false;
        }
        boolean ok = runItems(b.block(), at);
        if (!ok && !unreachable && !b.rescue().isEmpty() && !run.stopping()) ok = runItems(b.rescue(), at);
        if (!unreachable && !b.always().isEmpty()) ok = runItems(b.always(), at) && ok;
        return ok;
    }

    /**
     * A dynamic include: its condition once, then its tasks once per loop item. Tasks the play's
     * read-ahead could not plan (the include depends on a registered result, or its file name is a
     * template) are read now, in one round trip for the whole include.
     */
    private boolean runInclude(Include inc, VarScope at) {
        if (!run.options().selects(new LinkedHashSet<>(inc.tags())) || !run.gate().admits(inc)) return true;
        long t0 = System.nanoTime();
        String name = inc.displayName();
        VarScope vars = at.withRole(inc.role()).withTaskVars(inc.vars());
        List<List<TaskItem>> bodies = new ArrayList<>();
        List<VarScope> scopes = new ArrayList<>();
        try {
            if (!eval.conditionsHold(inc.when(), vars)) {
                report(new TaskResult(host, name, "include", where(inc.mark()), Status.SKIPPED, false, "condition false",
                        null, null, Map.of("changed", false, "skipped", true), ms(t0), false, null));
                return true;
            }
            List<Object> items = eval.loopItems(inc.loop(), inc.loopLookup(), vars);
            for (int i = 0; i < items.size(); i++) {
                VarScope inner = items.get(i) == TaskEval.NO_LOOP ? at : at.withLocals(TaskEval.locals(inc.loopControl(), items, i));
                bodies.add(inc.body() != null ? inc.body() : inc.later().load(eval.templar().renderString(inc.file(), inner.withRole(inc.role()).withTaskVars(inc.vars()))));
                scopes.add(inner);
            }
        } catch (TaskException | RuntimeException e) {
            TaskResult r = failure(name, "include", where(inc.mark()), TaskEval.message(e), false);
            report(inc.ignoreErrors() ? ignored(r) : r);
            return inc.ignoreErrors();
        }
        report(new TaskResult(host, name, "include", where(inc.mark()), Status.OK, false, "included: " + inc.file()
                + (bodies.size() == 1 ? "" : " (" + bodies.size() + " items)"), null, null, Map.of("changed", false), ms(t0), false, null));
        List<ReadAhead.Part> parts = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) parts.add(new ReadAhead.Part(bodies.get(i), scopes.get(i)));
        readAhead.read(parts);
        int depth = includeConditions.size();
        includeConditions.addAll(inc.when());
        running.add(new Running(parts, inc.mark()));
        try {
            for (int i = 0; i < bodies.size(); i++) {
                if (!runItems(bodies.get(i), scopes.get(i))) return false;
            }
            return true;
        } finally {
            includeConditions.subList(depth, includeConditions.size()).clear();
            running.remove(running.size() - 1);
        }
    }

    /** What is being run: the play's tasks, then each include reached, innermost last, with the include's place. */
    private record Running(List<ReadAhead.Part> parts, dev.moat.yaml.Mark include) {}

    private final List<Running> running = new ArrayList<>();

    /** After a reconnect at task {@code at}: one read for the rest of the play ({@link ReadAhead#readRest}). */
    private void readRest(Task at) {
        List<ReadAhead.Rest> rest = new ArrayList<>();
        dev.moat.yaml.Mark after = at.mark();
        for (int i = running.size() - 1; i >= 0; i--) {
            rest.add(new ReadAhead.Rest(running.get(i).parts(), after));
            after = running.get(i).include();
        }
        rest.add(new ReadAhead.Rest(List.of(new ReadAhead.Part(play.tasks(), scope)), after));
        readAhead.readRest(rest);
    }

    /** A handler {@code t} notifies that the play does not have (only a dynamically included task can), or null. */
    private String missingHandler(Task t) {
        for (String n : t.notifies()) {
            if (dev.moat.template.Templar.isTemplate(n)) continue;
            boolean found = false;
            for (Task h : play.handlers()) found |= n.equals(h.name()) || h.listen().contains(n);
            if (!found) return n;
        }
        return null;
    }

    /** Runs the handlers notified since the last flush, in the order the play lists them. */
    private boolean runHandlers() {
        if (endedByOther()) return true;
        Set<String> now = new LinkedHashSet<>(pending);
        pending.clear();
        for (Task h : play.handlers()) {
            boolean wanted = now.contains(h.name());
            for (String l : h.listen()) wanted |= now.contains(l);
            if (wanted && !runTask(h, scope)) return false;
        }
        return true;
    }

    private boolean runTask(Task written, VarScope at) {
        if (!run.options().selects(new LinkedHashSet<>(written.tags())) || !run.gate().admits(written)) return true;
        String name = written.displayName();
        run.listener().taskStart(host, name);
        long t0 = System.nanoTime();
        takeGivenFacts();
        VarScope vars = at.withRole(written.role()).withTaskVars(written.vars());
        Task t = written;
        TaskResult result;
        boolean shared = false;
        try {
            t = eval.resolved(written, vars);
            if (t.execution().runOnce() && linear()) {
                BatchSync.Once once = runOnce(written, t, vars, t0);
                result = once.result();
                shared = !once.ranHere();
            } else {
                result = throttled(written, t, vars, t0);
            }
        } catch (TaskException | RuntimeException e) {
            result = withIgnore(failure(name, t.module(), where(t.mark()), TaskEval.message(e), t.noLog()), t);
        }
        boolean check = CheckMode.of(t, run.options().check());
        if (Boolean.FALSE.equals(t.execution().diff())) result = withoutDiffs(result);
        if (result.changed()) {
            String missing = missingHandler(t);
            if (missing != null) {
                result = withIgnore(failure(name, t.module(), where(t.mark()), "notify: no handler named '" + missing
                        + "' in this play (Ansible fails here too)", t.noLog()), t);
            }
            notified.addAll(t.notifies());
            pending.addAll(t.notifies());
        }
        if (t.register() != null) scope.register(t.register(), result.registered());
        // A module's ansible_facts (setup's) are host facts; set_fact's and include_vars' are variables of their own layers.
        if (result.status() != Status.FAILED && !Actions.is(t.module()) && result.registered().get("ansible_facts") instanceof Map<?, ?> facts) {
            String to = factsTarget(t, vars);
            if (to != null) run.giveFacts(to, stringKeys(facts), false);
            else scope.addFacts(stringKeys(facts));
        }
        if (check && result.changed() && !shared) drifted = true;
        // A meta action with nothing to say (a handler flush, noop) is not a task the user sees; nor is
        // a run_once task on the hosts that took its result (Ansible shows it once), unless it failed.
        boolean quiet = (t.module().equals(Actions.META) && result.status() == Status.OK && result.message() == null)
                || (shared && !result.fatal());
        if (!quiet) report(result);
        if (t.execution().anyErrorsFatal() && linear()) {
            if (result.fatal()) batch.fatal(host);
            try {
                batch.arrive(List.of(written, passed.merge(written, 1, Integer::sum)), host);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (result.status() == Status.UNREACHABLE && !shared) {
            unreachable = true;
            return false;
        }
        return !result.fatal();
    }

    /** Facts other hosts' tasks gave this host ({@code delegate_facts: true}) since its last task. */
    private void takeGivenFacts() {
        for (RunContext.GivenFacts f : run.takeFacts(host)) {
            if (f.set()) f.facts().forEach(scope::register);
            else scope.addFacts(f.facts());
        }
    }

    /** With {@code delegate_facts: true}, the host a delegated task's gathered facts belong to; else null (this host's). */
    private String factsTarget(Task t, Vars vars) {
        if (!t.execution().delegateFacts()) return null;
        try {
            return delegateTarget(t, vars);
        } catch (TaskException | RuntimeException e) {
            return null; // the task ran, so its delegate_to rendered; nothing else can be meant
        }
    }

    /**
     * A {@code run_once} task: run here when this is the batch's first host still in the play,
     * else the result of the host that ran it, as this host's (what it registers, notifies, and
     * whether it failed), as in Ansible.
     */
    private BatchSync.Once runOnce(Task written, Task t, VarScope vars, long t0) throws TaskException {
        int n = reached.merge(written, 1, Integer::sum);
        BatchSync.Once once;
        try {
            once = batch.runOnce(List.of("once", written, n), host, () -> throttled(written, t, vars, t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskException("interrupted while waiting for the host that runs this run_once task");
        }
        if (once.ranHere()) return once;
        TaskResult r = once.result();
        String msg = r.fatal() ? "run_once: the task failed on " + r.host() + ": " + r.message() : r.message();
        Status st = r.status() == Status.UNREACHABLE ? Status.FAILED : r.status();
        return new BatchSync.Once(new TaskResult(host, r.task(), r.module(), r.where(), st, r.ignored(), msg, r.diffs(), List.of(),
                r.registered(), r.millis(), r.noLog(), r.items()), false);
    }

    /** The task, within its {@code throttle}: at most that many hosts of the batch run it at once. */
    private TaskResult throttled(Task written, Task t, VarScope vars, long t0) {
        int limit = t.execution().throttle();
        java.util.concurrent.Semaphore s = limit > 0 ? batch.throttle(written, limit) : null;
        try {
            if (s != null) s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(t.displayName(), t.module(), where(t.mark()), "interrupted while waiting for the task's throttle", t.noLog());
        }
        try {
            return conditionedRun(t, vars, t0);
        } finally {
            if (s != null) s.release();
        }
    }

    /** The task's condition, then its attempts ({@link Retries}), or once per loop item ({@link Loops}). */
    private TaskResult conditionedRun(Task t, VarScope vars, long t0) {
        boolean check = CheckMode.of(t, run.options().check());
        try {
            // A loop's condition is the items' (it may name the item), as in Ansible.
            if (t.loop() == null) {
                return eval.conditionsHold(t.when(), vars) ? attempts(t, vars, check, t0) : conditionFalse(t, t0);
            }
            return loops.run(t, vars, eval.loopItems(t, vars), check, t0);
        } catch (TaskException | RuntimeException e) {
            return withIgnore(failure(t.displayName(), t.module(), where(t.mark()), TaskEval.message(e), t.noLog()), t);
        }
    }

    private TaskResult conditionFalse(Task t, long t0) {
        Map<String, Object> reg = new LinkedHashMap<>();
        reg.put("changed", false);
        reg.put("skip_reason", "Conditional result was False");
        reg.put("skipped", true);
        return new TaskResult(host, t.displayName(), t.module(), where(t.mark()), Status.SKIPPED, false, "condition false",
                null, null, reg, ms(t0), t.noLog(), null);
    }

    /** One task or loop item: its condition (for a loop item), then its attempts ({@link Retries}). */
    TaskResult item(Task t, VarScope vars, boolean check) throws TaskException {
        long t0 = System.nanoTime();
        if (!eval.conditionsHold(t.when(), vars)) return conditionFalse(t, t0);
        return attempts(t, vars, check, t0);
    }

    private TaskResult attempts(Task t, VarScope vars, boolean check, long t0) throws TaskException {
        return retries.run(t, vars, check, t0);
    }

    /**
     * One attempt at a task or loop item: render, check arguments, read, plan, and (unless
     * checking) apply. A retry ({@code reread}) reads again what the task reads.
     */
    TaskResult runOnce(Task t, VarScope vars, boolean check, long t0, boolean reread) throws TaskException {
        if (Actions.is(t.module())) return action(t, vars, t0);
        Module<?> m = run.modules().get(t.module());
        if (m == null) throw new TaskException(PlayActions.notSupported(t, includeConditions));
        Object bound;
        Map<String, ?> rendered = eval.render(t, vars);
        try {
            bound = eval.bind(m, rendered);
        } catch (ArgException e) {
            throw new TaskException(e.getMessage());
        }
        Map<String, String> environment = m.local() ? Map.of() : eval.environment(t, vars);
        boolean hidden = t.noLog() || eval.holdsSecret(rendered) || eval.holdsSecret(environment);
        RunAs as = RunAs.of(t, play, playLogin, scope, eval.templar(), vars);
        if (t.execution().async() > 0) AsyncTask.check(t.module());
        String target = delegateTarget(t, vars);
        boolean delegated = CONTROLLER.equals(target);
        if (delegated && as.become() && !m.local()) {
            throw new TaskException("delegate_to: localhost runs on the controller as you; moat does not use sudo there:"
                    + " add become: false to this task");
        }
        HostSession on = delegated ? controller() : target != null ? delegateSession(target) : session;
        TaskResult read = reread || on != session ? null : readAhead(t, m, bound, as, vars, environment, hidden, t0);
        if (read != null) return read;
        Plan plan;
        Applied applied = Applied.NOTHING;
        boolean reconnected = false;
        try {
            plan = plan(m, bound, as, vars, check, t.role(), on, reread);
            if (hidden) plan = plan.withFileContentsHidden();
            if (delegated && plan.changes() && !plan.risks().isEmpty()) {
                throw new TaskException("delegate_to: localhost: a change that risks the controller's own firewall or SSH is not supported by moat");
            }
            if (target != null && !delegated && m instanceof dev.moat.module.Reconnects<?>) {
                throw new TaskException(m.name() + " delegated to another host (" + target + ") is not supported by moat: run it in a play on that host");
            }
            if (delegated && m instanceof dev.moat.module.Reconnects<?>) {
                throw new TaskException("Running " + m.name() + " with local connection would " + (m.name().equals("reboot") ? "reboot" : "wait for")
                        + " the control node.");
            }
            dev.moat.module.Reconnect wait = plan.skip() == null && !check ? reconnect(m, bound, as) : null;
            if (plan.skip() == null && plan.changes() && !check) {
                // Handlers rerun by a rollback (to reload restored files) are not journaled again; nor is
                // what a task delegated to the controller changes there (it is not the host's). A change
                // delegated to another inventory host is journaled there, as made by this host.
                ChangeApplier by = delegated ? controllerApplier() : target != null ? delegateApplier(target, on) : applier;
                int async = t.execution().async();
                String jid = async > 0 ? dev.moat.journal.AsyncJobs.newJid() : null;
                Plan started = jid == null ? plan : AsyncTask.detached(plan, jid, async);
                try {
                    applied = by.apply(started, t.displayName(), unit, as, hidden, !rollingBack && !delegated, environment);
                } catch (UnreachableException e) {
                    // A reboot command may lose its connection before it returns: that is the reboot, as in Ansible.
                    if (wait == null || !wait.reboots()) throw e;
                    applied = new Applied(null, null, false, true);
                }
                if (jid != null && applied.failure() == null) {
                    // Started: the job runs on by itself; polling it holds no lock and changes nothing.
                    AsyncTask.Followed f = t.execution().poll() == 0 ? AsyncTask.fired(plan, jid, applied)
                            : AsyncTask.follow(plan, jid, async, t.execution().poll(), on, as, this.run);
                    plan = f.plan();
                    applied = f.applied();
                }
            }
            if (wait != null && applied.failure() == null) {
                Reconnection.Outcome o = new Reconnection(host, run).await(wait, session, as);
                Map<String, Object> result = new LinkedHashMap<>(plan.result());
                result.put("elapsed", o.elapsed());
                plan = plan.withResult(result);
                if (o.lost()) return unreachable(t, o.failure());
                // Registered as Ansible's: the reboot command's own output (shutdown's "Reboot scheduled") is not the result.
                applied = new Applied(null, o.failure(), false, applied.ranSteps());
                if (o.failure() == null && wait.reboots()) plan = plan.withMessage("rebooted in " + o.elapsed() + " s (new boot id), reconnected");
                reconnected = o.failure() == null;
            }
        } catch (UnreachableException e) {
            if (target != null && !delegated) throw new TaskException("delegate_to: " + target + ": " + e.getMessage());
            return unreachable(t, e.getMessage());
        }
        TaskResult r = plan.skip() != null ? skipped(t, plan, t0) : judge(t, vars, plan, applied, t0, on);
        // Over the fresh connection nothing read before is trusted: one read for the rest of the play.
        if (reconnected) readRest(t);
        return target == null || delegated ? r : onDelegate(r, target);
    }

    private static final String CONTROLLER = "localhost";

    /**
     * A read-only command's result from the play's read ({@link CommandReads}), when its program ran
     * there and nothing changed on the host since; else null, and the task runs it now.
     */
    private TaskResult readAhead(Task t, Module<?> m, Object bound, RunAs as, Vars vars, Map<String, String> environment,
                                 boolean hidden, long t0) throws TaskException {
        dev.moat.module.ReadOnlyRun.Run r = CommandReads.of(m, t, bound, environment, hidden);
        dev.moat.module.FactOutput out = r == null ? null : session.take(r, as);
        if (out == null) return null;
        dev.moat.transport.ExecResult ran = new dev.moat.transport.ExecResult(out.rc(), out.stdout(), out.stderr());
        String err = out.errText().strip().isEmpty() ? out.text().strip() : out.errText().strip();
        String failure = ran.ok() ? null : r.shown() + " failed (exit " + out.rc() + ")" + (err.isEmpty() ? "" : ": " + err);
        return judge(t, vars, Plan.converged(), new Applied(ran, failure, false, false), t0, session);
    }

    /**
     * Where task {@code t} runs instead of this host: {@value #CONTROLLER} for the controller
     * ({@code delegate_to: localhost}, {@code local_action}, {@code connection: local}), another
     * inventory host's name, or null for this host; a templated {@code delegate_to} is rendered
     * for this host (so {@code "{{ groups['db'][0] }}"} works). A name the inventory does not have
     * is refused: Ansible would make up a host of that name and try DNS.
     */
    private String delegateTarget(Task t, Vars vars) throws TaskException {
        String to = t.execution().delegateTo();
        if (to == null) return null;
        String name = dev.moat.template.Templar.isTemplate(to) ? eval.templar().renderString(to, vars).strip() : to;
        if (dev.moat.playbook.Execution.CONTROLLER.contains(name)) return CONTROLLER;
        if (name.isEmpty() || name.equals(host)) return null;
        if (vars.get("groups") instanceof Map<?, ?> groups && groups.get("all") instanceof java.util.Collection<?> all
                && !all.contains(name)) {
            throw new TaskException("delegate_to: " + name + (name.equals(to) ? "" : " (from '" + to + "')") + " is not a host"
                    + " of the inventory; moat delegates to inventory hosts (through their own connection) and to localhost");
        }
        return name;
    }

    /** The run's connection to {@code target} for a task delegated to it; a host that cannot be reached fails the task. */
    private HostSession delegateSession(String target) throws TaskException {
        try {
            return run.delegateSession(target, play);
        } catch (java.io.IOException | RuntimeException e) {
            throw new TaskException("delegate_to: " + target + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /** Applies changes on {@code target} for this host: journaled in the target's ledger as this host's (see {@link Ledger.Entry#by}). */
    private ChangeApplier delegateApplier(String target, HostSession on) {
        return delegateAppliers.computeIfAbsent(target, d -> new ChangeApplier(d, String.valueOf(play.mark()), on, run, host));
    }

    private final Map<String, ChangeApplier> delegateAppliers = new LinkedHashMap<>();

    /** A delegated task's result says where it ran, as Ansible's "[h1 -> h3]". */
    private static TaskResult onDelegate(TaskResult r, String target) {
        String msg = "-> " + target + (r.message() == null || r.message().isEmpty() ? "" : ": " + r.message());
        return new TaskResult(r.host(), r.task(), r.module(), r.where(), r.status(), r.ignored(), msg, r.diffs(), r.undo(),
                r.registered(), r.millis(), r.noLog(), r.items());
    }

    /** The controller, for tasks delegated to it: a local shell, as the user running moat. */
    private HostSession controller() {
        if (controller == null) controller = new HostSession(new ControllerShell(host));
        return controller;
    }

    private ChangeApplier controllerApplier() {
        if (controllerApplier == null) controllerApplier = new ChangeApplier(host, String.valueOf(play.mark()), controller(), run);
        return controllerApplier;
    }

    private HostSession controller;
    private ChangeApplier controllerApplier;

    @SuppressWarnings("unchecked")
    private <A> Plan plan(Module<A> m, Object bound, RunAs as, Vars vars, boolean check, dev.moat.playbook.RoleScope role,
                          HostSession on, boolean reread) throws TaskException, UnreachableException {
        A a = (A) bound;
        try {
            if (m instanceof dev.moat.module.Waiting<?> && !reread) {
                @SuppressWarnings("unchecked") dev.moat.module.Waiting<A> w = (dev.moat.module.Waiting<A>) m;
                if (w.delay(a) > 0 && !Pauses.sleep(run, w.delay(a))) throw new TaskException("interrupted while waiting");
                reread = true;
            }
            dev.moat.module.PlanContext ctx = eval.context(vars, check, role, rollingBack);
            if (!m.local() && reread) on.forget(m.reads(a, ctx));
            if (!m.local()) on.read(m.reads(a, ctx), as);
            return m.plan(a, on.facts(as), ctx);
        } catch (UnreachableException e) {
            throw e;
        } catch (IOException e) {
            throw new TaskException("reading " + (on == session ? "the host" : on == controller ? "the controller" : on.host()) + ": " + e.getMessage());
        }
    }

    /** What a {@link dev.moat.module.Reconnects} module waits for after its steps (read before they run), or null. */
    @SuppressWarnings("unchecked")
    private <A> dev.moat.module.Reconnect reconnect(Module<A> m, Object bound, RunAs as) throws TaskException {
        if (!(m instanceof dev.moat.module.Reconnects<?>)) return null;
        return ((dev.moat.module.Reconnects<A>) m).reconnect((A) bound, session.facts(as));
    }

    private TaskResult skipped(Task t, Plan plan, long t0) {
        Map<String, Object> reg = new LinkedHashMap<>(plan.result());
        reg.put("changed", false);
        reg.put("failed", false); // a module's own skip is a result like any other (Ansible's wait_for_connection in check mode)
        reg.put("skipped", true);
        reg.put("msg", plan.skip());
        return new TaskResult(host, t.displayName(), t.module(), where(t.mark()), Status.SKIPPED, false, plan.skip(),
                plan.diffs(), plan.undo(), reg, ms(t0), t.noLog(), null);
    }

    /**
     * The task's result from its plan and what applying it came to, as {@code changed_when} and
     * {@code failed_when} judge it; they see the result under its registered name, as in Ansible.
     */
    private TaskResult judge(Task t, Vars vars, Plan plan, Applied applied, long t0, HostSession on) throws TaskException {
        Map<String, Object> reg = applied.registered(plan);
        boolean changed = plan.changes();
        String failure = applied.failure();
        if (!t.changedWhen().isEmpty() || !t.failedWhen().isEmpty()) {
            // The registered map is shared by every view of this host's scope, loop items included.
            if (t.register() != null) scope.register(t.register(), reg);
            if (!t.changedWhen().isEmpty() && failure == null) {
                changed = eval.conditionsHold(t.changedWhen(), vars);
                reg.put("changed", changed);
            }
            if (!t.failedWhen().isEmpty()) {
                boolean f = eval.conditionsHold(t.failedWhen(), vars);
                if (f && failure == null) failure = "failed_when is true: " + String.join(" and ", t.failedWhen());
                // failed_when judges the command's result; it cannot excuse a change that was never
                // journaled, a guard that could not be disarmed, or a reverted firewall change.
                if (!f && !applied.safety()) failure = null;
                reg.put("failed", failure != null);
            }
        }
        // What the steps touched goes stale, unless the task itself says it changed nothing
        // (changed_when: false on a read-only command) and no step failed half-way.
        if (applied.ranSteps() && (changed || failure != null)) on.touched(plan.touches());
        Status status = failure != null ? Status.FAILED : changed ? Status.CHANGED : Status.OK;
        TaskResult r = new TaskResult(host, t.displayName(), t.module(), where(t.mark()), status, false,
                failure != null ? failure : plan.message(), plan.diffs(), plan.undo(), reg, ms(t0), t.noLog(), null);
        return status == Status.FAILED ? withIgnore(r, t) : r;
    }

    /** set_fact, include_vars, meta: what the play knows changes, not the host. */
    private TaskResult action(Task t, VarScope vars, long t0) throws TaskException {
        Map<String, Object> reg = new LinkedHashMap<>();
        reg.put("changed", false);
        String msg = null;
        switch (t.module()) {
            case Actions.SET_FACT -> {
                Map<String, Object> set = actions.setFact(t, vars);
                String to = t.execution().delegateFacts() ? delegateTarget(t, vars) : null;
                if (to != null) run.giveFacts(to, set, true);
                else set.forEach(scope::register);
                reg.put("ansible_facts", set);
            }
            case Actions.INCLUDE_VARS -> {
                PlayActions.Included inc = actions.includeVars(t, vars);
                scope.include(inc.vars());
                reg.put("ansible_facts", inc.vars());
                reg.put("ansible_included_var_files", inc.files());
                msg = "included " + String.join(", ", inc.files());
            }
            default -> msg = meta(actions.metaAction(t, vars));
        }
        TaskResult r = new TaskResult(host, t.displayName(), t.module(), where(t.mark()), Status.OK, false, msg, null, null, reg, ms(t0),
                t.noLog(), null);
        String to = t.module().equals(Actions.SET_FACT) && t.execution().delegateTo() != null ? delegateTarget(t, vars) : null;
        return to == null || to.equals(CONTROLLER) ? r : onDelegate(r, to);
    }

    /** Runs a {@code meta:} action; what to report, or null for nothing. */
    private String meta(String what) throws TaskException {
        switch (what) {
            case "flush_handlers":
                if (!runHandlers()) throw new TaskException("a handler failed");
                return null;
            case "end_host":
                ended = true;
                return "ended the play for this host";
            case "end_play", "end_batch":
                ended = true;
                run.endPlay(play);
                return "ended the play";
            case "clear_facts":
                scope.clearFacts();
                return "facts cleared";
            case "reset_connection":
                // Every moat command runs in a new SSH session, which logs in afresh (group changes apply);
                // what moat has read of the host may be stale now.
                session.touched(Set.of("*"));
                return "reset: facts will be read again";
            case "noop", "clear_host_errors", "refresh_inventory":
                return null;
            default:
                throw new TaskException("meta: " + what + " is not supported by moat");
        }
    }

    // ---- rollback --------------------------------------------------------------------------

    /** Lost the connection with changes not yet restored: the runner reconnects once and calls {@link #recover}. */
    boolean stranded() {
        return unreachable && !run.options().noRollback() && run.ledgers().containsKey(host) && !run.ledger(host).toUndo(null, 0).isEmpty();
    }

    /** Rolls back over the fresh connection ({@code lost} null), or says what stays journaled and how to restore it. */
    void recover(String lost) {
        if (lost == null) {
            rollback();
            recap = recap.withNote("reconnected after the connection was lost");
            return;
        }
        int n = run.ledger(host).toUndo(null, 0).size();
        String msg = "the host did not answer a new connection (" + lost + "): " + n + " change(s) of this run stay journaled on it;"
                + " `moat rollback " + run.runId() + "` restores them once it answers";
        run.listener().taskResult(new TaskResult(host, "rollback", "rollback", null, Status.FAILED, false, msg, null, null, Map.of(),
                0, false, null));
        recap = recap.withNote("NOT rolled back: unreachable, " + n + " change(s) journaled on the host");
    }

    /**
     * Undoes this host's changes after a failure, through the {@link Restorer}: the whole run's
     * ({@code rollback: host}), the failing top-level block's ({@code block}), or nothing
     * ({@code none}, {@code --no-rollback}); then reruns the handlers notified so far, so services
     * pick up the restored files.
     */
    private void rollback() {
        Rollback mode = run.options().noRollback() ? Rollback.NONE
                : unitRollback != null ? unitRollback : play.rollback() == null ? Rollback.HOST : play.rollback();
        if (mode == Rollback.NONE) {
            recap = recap.withNote("not rolled back (" + (run.options().noRollback() ? "--no-rollback" : "rollback: none") + ")");
            return;
        }
        Ledger ledger = run.ledger(host);
        String playId = mode == Rollback.BLOCK ? String.valueOf(play.mark()) : null;
        List<Ledger.Entry> todo = ledger.toUndo(playId, unit);
        boolean delegatedAny = false;
        for (Map.Entry<String, Ledger> d : run.ledgers().entrySet()) {
            delegatedAny |= !d.getKey().equals(host) && !d.getValue().delegatedBy(host, playId, unit).isEmpty();
        }
        if (todo.isEmpty() && !delegatedAny) {
            recap = recap.withNote("nothing to roll back");
            return;
        }
        long t0 = System.nanoTime();
        List<Restorer.Item> items = new ArrayList<>();
        for (Ledger.Entry e : todo) items.add(new Restorer.Item(e.seq(), e.undo(), e.task()));
        boolean delegatedOk = !delegatedAny || new DelegatedRollback(host, play, run).restore(playId, unit);
        if (todo.isEmpty()) {
            recap = recap.withNote(delegatedOk ? "rolled back (changes delegated to other hosts)" : "rollback incomplete");
            return;
        }
        Restorer.Outcome done;
        java.util.concurrent.locks.ReentrantLock lock = run.changeLock(host);
        lock.lock();
        try {
            done = new Restorer(run.snapshots(), run.runId()).restore(session::exec, items);
        } finally {
            lock.unlock();
        }
        // Irreversible entries are settled too: reported once, never attempted again.
        for (Restorer.Item i : done.settled()) ledger.markRestored(i.seq());
        List<String> problems = new ArrayList<>(done.problems());
        session.touched(Set.of("*"));
        rollingBack = true;
        try {
            pending.clear();
            pending.addAll(notified);
            if (!notified.isEmpty() && !runHandlers()) problems.add("a handler failed after the restore");
        } catch (RuntimeException e) {
            problems.add("a handler failed after the restore: " + e);
        } finally {
            rollingBack = false;
        }
        List<String> irreversible = done.irreversible();
        String msg = problems.isEmpty()
                ? "restored " + (mode == Rollback.BLOCK ? "the failing block's " : "this run's ") + done.restored()
                        + " change(s), newest first, each verified against its snapshot"
                : "restored " + done.restored() + " of " + (todo.size() - irreversible.size()) + " change(s); NOT restored: "
                        + String.join("; ", problems);
        if (!irreversible.isEmpty()) msg += "; cannot be undone, left as they are: " + String.join("; ", irreversible);
        Status st = problems.isEmpty() ? Status.OK : Status.FAILED;
        run.listener().taskResult(new TaskResult(host, "rollback", "rollback", null, st, false, msg, null, null, Map.of(),
                ms(t0), false, null));
        recap = recap.withNote(!problems.isEmpty() || !delegatedOk ? "rollback incomplete"
                : irreversible.isEmpty() ? "rolled back" : "rolled back, " + irreversible.size() + " action(s) irreversible");
    }

    // ---- helpers ---------------------------------------------------------------------------

    TaskResult unreachable(Task t, String message) {
        return new TaskResult(host, t.displayName(), t.module(), where(t.mark()), Status.UNREACHABLE, false, message, null, null,
                Map.of("unreachable", true, "changed", false, "failed", true, "msg", message), 0, t.noLog(), null);
    }

    TaskResult failure(String name, String module, String where, String message, boolean noLog) {
        Map<String, Object> reg = new LinkedHashMap<>();
        reg.put("changed", false);
        reg.put("failed", true);
        reg.put("msg", message);
        return new TaskResult(host, name, module, where, Status.FAILED, false, message, null, null, reg, 0, noLog, null);
    }

    static TaskResult withIgnore(TaskResult r, Task t) {
        if (!t.ignoreErrors() || r.status() != Status.FAILED) return r;
        return ignored(r);
    }

    /** {@code diff: false}: the task's diffs are withheld from output and the run record. */
    private static TaskResult withoutDiffs(TaskResult r) {
        return new TaskResult(r.host(), r.task(), r.module(), r.where(), r.status(), r.ignored(), r.message(), List.of(), r.undo(),
                r.registered(), r.millis(), r.noLog(), r.items());
    }

    private static TaskResult ignored(TaskResult r) {
        return new TaskResult(r.host(), r.task(), r.module(), r.where(), r.status(), true, r.message(), r.diffs(), r.undo(),
                r.registered(), r.millis(), r.noLog(), r.items());
    }

    private void report(TaskResult r) {
        recap = recap.add(r);
        run.listener().taskResult(r);
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
        return out;
    }

    static String where(dev.moat.yaml.Mark m) {
        return m == null ? null : m.toString();
    }

    static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
