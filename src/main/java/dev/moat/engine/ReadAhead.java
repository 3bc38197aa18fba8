package dev.moat.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.module.ArgException;
import dev.moat.module.Fact;
import dev.moat.module.Module;
import dev.moat.module.TaskException;
import dev.moat.playbook.Actions;
import dev.moat.playbook.Block;
import dev.moat.playbook.Include;
import dev.moat.playbook.Play;
import dev.moat.playbook.Task;
import dev.moat.playbook.TaskItem;
import dev.moat.playbook.VarScope;
import dev.moat.template.Templar;
import dev.moat.yaml.Mark;

/**
 * A play's read-ahead on one host: declares the reads of every task, and reads them in one go per
 * user they run as. A task that uses a registered result is read with a stand-in for it
 * ({@link #guesses}); one that uses a {@code set_fact} variable is left out. A command declared
 * read-only ({@link CommandReads}) runs in the read itself. One round trip when the play's tasks
 * share a login and a become user (the common case), one per distinct {@link RunAs} (login user,
 * become user) otherwise, never one user's reads in a script run as another. Roles are blocks and
 * read ahead like any task. A dynamic include whose
 * condition and loop can be decided now (they do not depend on a registered result) is expanded
 * here, once per loop item, so its tasks cost no round trip of their own; any other include is read
 * ahead when a host reaches it, in one round trip for all its tasks ({@link #read(List)}).
 * Whatever goes wrong here is left to the task itself, which reads again and reports it with its place.
 */
final class ReadAhead {
    /** Items to read ahead for, in the scope they run in (an include's loop item set). */
    record Part(List<TaskItem> items, VarScope scope) {}

    private final Play play;
    /** The play's login user where the host's connection is another user's, else null (see {@link RunAs#login}). */
    private final String playLogin;
    /** The play's implicit fact gathering until the first read has taken its reads, then null. */
    private Task gather;
    private final HostSession session;
    private final RunContext run;
    private final TaskEval eval;
    /** What the tasks being read ahead (and the handlers) register or set_fact: unknown until they run. */
    private final Set<String> registerNames = new LinkedHashSet<>();

    /** {@code gather}: the play's implicit fact gathering, or null; read with the first {@link #read(List)}. */
    ReadAhead(Play play, String playLogin, Task gather, HostSession session, RunContext run, TaskEval eval) {
        this.play = play;
        this.playLogin = playLogin;
        this.gather = gather;
        this.session = session;
        this.run = run;
        this.eval = eval;
    }

    /** Of {@link #registerNames}, those set by set_fact: their values cannot be guessed. */
    private final Set<String> factNames = new LinkedHashSet<>();

    private void names(Task t) {
        if (t.register() != null) registerNames.add(t.register());
        if (t.module().equals(Actions.SET_FACT)) {
            registerNames.addAll(t.args().keySet());
            factNames.addAll(t.args().keySet());
        }
    }

    /**
     * Reads what {@code parts} need, in one round trip per user. A task that uses what a task among
     * {@code parts} (or a handler) registers is left out: its input is not known yet. What earlier
     * tasks registered is known, so an include reached late reads all its tasks at once.
     */
    void read(List<Part> parts) {
        registerNames.clear();
        factNames.clear();
        List<Task> tasks = new ArrayList<>(play.handlers());
        for (Part p : parts) tasks.addAll(Play.tasksOf(p.items()));
        for (Task t : tasks) names(t);
        Map<RunAs, List<Fact<?>>> reads = new LinkedHashMap<>();
        if (gather != null && !parts.isEmpty()) collect(gather, parts.get(0).scope(), reads);
        for (Part p : parts) for (TaskItem i : p.items()) collect(i, p.scope(), reads);
        readAll(reads);
        gather = null;
    }

    /**
     * Where reading ahead starts again after a reconnect: the {@code parts} being run, and the item
     * among them (a task, or the include the rest of the run is in) after which their rest begins.
     */
    record Rest(List<Part> parts, Mark after) {}

    /** While reading the rest ({@link #readRest}): the item to skip up to, inclusive; null once passed. */
    private Mark skipping;

    /**
     * After a reconnect (a reboot, {@code wait_for_connection}), when nothing read before is trusted:
     * reads what the rest of the play needs, in one round trip per user, as {@link #read} does at
     * its start. {@code rest} goes from the innermost include being run (its rest after the task
     * that reconnected) out to the play's own tasks (their rest after that include).
     */
    void readRest(List<Rest> rest) {
        registerNames.clear();
        factNames.clear();
        for (Task t : play.handlers()) names(t);
        for (Rest r : rest) {
            skipping = r.after();
            for (Part p : r.parts()) names(p.items());
        }
        Map<RunAs, List<Fact<?>>> reads = new LinkedHashMap<>();
        for (Rest r : rest) {
            skipping = r.after();
            for (Part p : r.parts()) for (TaskItem i : p.items()) collect(i, p.scope(), reads);
        }
        skipping = null;
        readAll(reads);
    }

    /** The names that {@code items} register (past {@link #skipping}). */
    private void names(List<TaskItem> items) {
        for (TaskItem i : items) {
            if (skipped(i)) continue;
            if (i instanceof Task t) names(t);
            else if (i instanceof Block b) for (List<TaskItem> part : List.of(b.block(), b.rescue(), b.always())) names(part);
            else if (i instanceof Include inc && inc.body() != null) names(inc.body());
        }
    }

    /** Whether {@code item} comes before the rest being read (or is the item it starts after). */
    private boolean skipped(TaskItem item) {
        if (skipping == null || item instanceof Block) return false;
        Mark at = item instanceof Task t ? t.mark() : item instanceof Include inc ? inc.mark() : null;
        if (skipping.equals(at)) skipping = null;
        return true;
    }

    private void readAll(Map<RunAs, List<Fact<?>>> reads) {
        for (Map.Entry<RunAs, List<Fact<?>>> e : reads.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            try {
                session.read(e.getValue(), e.getKey());
            } catch (IOException | TaskException | RuntimeException ex) {
                // The first task that needs these facts reads them again and reports the problem.
            }
        }
    }

    private void collect(TaskItem item, VarScope at, Map<RunAs, List<Fact<?>>> out) {
        if (skipped(item)) return;
        if (item instanceof Task t) {
            collect(t, at, out);
        } else if (item instanceof Block b) {
            for (List<TaskItem> part : List.of(b.block(), b.rescue(), b.always())) for (TaskItem i : part) collect(i, at, out);
        } else if (item instanceof Include inc) {
            if (inc.body() == null || !run.options().selects(new LinkedHashSet<>(inc.tags())) || usesRegistered(inc.loop(), inc.when())) return;
            try {
                VarScope vars = at.withRole(inc.role()).withTaskVars(inc.vars());
                if (!eval.conditionsHold(inc.when(), vars)) return;
                List<Object> items = eval.loopItems(inc.loop(), inc.loopLookup(), vars);
                for (int i = 0; i < items.size(); i++) {
                    VarScope inner = items.get(i) == TaskEval.NO_LOOP ? at : at.withLocals(TaskEval.locals(inc.loopControl(), items, i));
                    for (TaskItem b : inc.body()) collect(b, inner, out);
                }
            } catch (TaskException | RuntimeException e) {
                // Left to the include itself, which reports it with its place.
            }
        }
    }

    private void collect(Task t, VarScope at, Map<RunAs, List<Fact<?>>> out) {
        if (!run.options().selects(new LinkedHashSet<>(t.tags()))) return;
        Map<String, Object> guessed = dependsOnRegistered(t) ? guesses(t) : Map.of();
        if (guessed == null) return;
        Module<?> m = run.modules().get(t.module());
        if (m == null || m.local() || t.execution().delegateTo() != null) return;
        try {
            VarScope vars = at.withRole(t.role()).withTaskVars(t.vars());
            if (!guessed.isEmpty()) vars = vars.withLocals(guessed);
            // Facts are read in this same batch: a condition on them cannot be known yet, so its task's reads are taken.
            boolean judge = !(gather != null && FactUse.uses(t.when()));
            if (gather != null) vars = vars.withLocals(FactUse.standIns(t, vars));
            List<Fact<?>> reads = out.computeIfAbsent(RunAs.of(t, play, playLogin, at, eval.templar(), vars), k -> new ArrayList<>());
            List<Object> items = eval.loopItems(t, vars);
            for (int i = 0; i < items.size(); i++) {
                // A loop's condition may name its item: judged per item, as the task will.
                VarScope iv = items.get(i) == TaskEval.NO_LOOP ? vars : TaskEval.withItem(t.loopControl(), vars, items, i);
                if (judge && !eval.conditionsHold(t.when(), iv)) continue;
                Map<String, ?> rendered = eval.render(t, iv);
                Object bound = eval.bind(m, rendered);
                reads.addAll(reads(m, bound, eval.context(iv, CheckMode.of(t, run.options().check()), t.role())));
                // A read-only command runs in the read itself, unless its arguments were only guessed.
                if (guessed.isEmpty() && CommandReads.foldable(t)) {
                    Map<String, String> env = eval.environment(t, iv);
                    Fact<?> r = CommandReads.of(m, t, bound, env, eval.holdsSecret(rendered) || eval.holdsSecret(env));
                    if (r != null) reads.add(r);
                }
            }
        } catch (TaskException | ArgException | RuntimeException e) {
            // Left to the task itself, which reports it with its place.
        }
    }

    @SuppressWarnings("unchecked")
    private static <A> List<Fact<?>> reads(Module<A> m, Object a, dev.moat.module.PlanContext ctx) throws TaskException {
        return m.reads((A) a, ctx);
    }

    /**
     * Stand-ins for the registered results {@code t} uses, so its reads can go into this batch too:
     * a result as a command's looks when it printed nothing ({@code rc} 0, empty {@code stdout},
     * {@code stdout_lines}, {@code results}). Most modules read the same resources whatever their
     * arguments' values (a {@code ufw} rule's port does not change what UFW state is read); where the
     * real value needs other reads, the task reads them itself when it runs, one round trip more, as
     * without the guess. Null when no guess is made: {@code t} uses a {@code set_fact} variable (any
     * value), or a lookup, which would run on the controller with the stand-in.
     */
    private Map<String, Object> guesses(Task t) {
        Set<String> used = new LinkedHashSet<>();
        collectVariables(t.args(), used);
        collectVariables(t.loop(), used);
        for (String w : t.when()) used.addAll(Templar.variables(w, true));
        if (used.stream().anyMatch(factNames::contains) || callsLookup(t.args()) || callsLookup(t.loop()) || callsLookup(t.when())) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : used) if (registerNames.contains(n)) out.put(n, STAND_IN);
        return out;
    }

    private static final Map<String, Object> STAND_IN = Map.ofEntries(Map.entry("changed", false), Map.entry("failed", false),
            Map.entry("skipped", false), Map.entry("rc", 0), Map.entry("stdout", ""), Map.entry("stdout_lines", List.of()),
            Map.entry("stderr", ""), Map.entry("stderr_lines", List.of()), Map.entry("results", List.of()), Map.entry("msg", ""));

    private static boolean callsLookup(Object v) {
        if (v instanceof String s) return s.contains("lookup(") || s.contains("query(") || s.contains("q(");
        if (v instanceof Map<?, ?> m) return m.values().stream().anyMatch(ReadAhead::callsLookup);
        if (v instanceof List<?> l) return l.stream().anyMatch(ReadAhead::callsLookup);
        return false;
    }

    private boolean dependsOnRegistered(Task t) {
        if (registerNames.isEmpty()) return false;
        Set<String> used = new LinkedHashSet<>();
        collectVariables(t.args(), used);
        return usesRegistered(t.loop(), t.when()) || used.stream().anyMatch(registerNames::contains);
    }

    private boolean usesRegistered(Object loop, List<String> when) {
        if (registerNames.isEmpty()) return false;
        Set<String> used = new LinkedHashSet<>();
        collectVariables(loop, used);
        for (String w : when) used.addAll(Templar.variables(w, true));
        for (String r : registerNames) if (used.contains(r)) return true;
        return false;
    }

    static void collectVariables(Object v, Set<String> out) {
        if (v instanceof String s) {
            if (Templar.isTemplate(s)) out.addAll(Templar.variables(s, false));
        } else if (v instanceof Map<?, ?> m) {
            for (Object o : m.values()) collectVariables(o, out);
        } else if (v instanceof List<?> l) {
            for (Object o : l) collectVariables(o, out);
        }
    }
}
