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
import dev.moat.playbook.Play;
import dev.moat.playbook.Task;
import dev.moat.playbook.VarScope;
import dev.moat.template.Templar;

/**
 * A play's read-ahead on one host: declares the reads of every task that does not depend on a
 * registered result and reads them in one go per user they run as: one round trip when the play's
 * tasks share a become user (the common case), never one user's reads in a script run as another.
 * Whatever goes wrong here is left to the task itself, which reads again and reports it with its place.
 */
final class ReadAhead {
    private final Play play;
    private final Task gather;
    private final HostSession session;
    private final VarScope scope;
    private final RunContext run;
    private final TaskEval eval;
    private final Set<String> registerNames = new LinkedHashSet<>();

    /** {@code gather}: the play's implicit fact gathering, or null. */
    ReadAhead(Play play, Task gather, HostSession session, VarScope scope, RunContext run, TaskEval eval) {
        this.play = play;
        this.gather = gather;
        this.session = session;
        this.scope = scope;
        this.run = run;
        this.eval = eval;
        for (Task t : play.allTasks()) if (t.register() != null) registerNames.add(t.register());
        for (Task t : play.handlers()) if (t.register() != null) registerNames.add(t.register());
    }

    void read() {
        Map<RunAs, List<Fact<?>>> reads = new LinkedHashMap<>();
        if (gather != null) collect(gather, reads);
        for (Task t : play.allTasks()) collect(t, reads);
        for (Map.Entry<RunAs, List<Fact<?>>> e : reads.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            try {
                session.read(e.getValue(), e.getKey());
            } catch (IOException | TaskException | RuntimeException ex) {
                // The first task that needs these facts reads them again and reports the problem.
            }
        }
    }

    private void collect(Task t, Map<RunAs, List<Fact<?>>> out) {
        if (!run.options().selects(new LinkedHashSet<>(t.tags())) || dependsOnRegistered(t)) return;
        Module<?> m = run.modules().get(t.module());
        if (m == null || m.local()) return;
        try {
            VarScope vars = scope.withTaskVars(t.vars());
            // Facts are read in this same batch: a condition on them cannot be known yet, so its task's reads are taken.
            if (!(gather != null && FactUse.uses(t.when())) && !eval.conditionsHold(t.when(), vars)) return;
            List<Fact<?>> reads = out.computeIfAbsent(RunAs.of(t, play, scope, eval.templar(), vars), k -> new ArrayList<>());
            List<Object> items = eval.loopItems(t, vars);
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                reads.addAll(reads(m, eval.bind(m, t, item == TaskEval.NO_LOOP ? vars : TaskEval.withItem(t, vars, item, i))));
            }
        } catch (TaskException | ArgException | RuntimeException e) {
            // Left to the task itself, which reports it with its place.
        }
    }

    @SuppressWarnings("unchecked")
    private static <A> List<Fact<?>> reads(Module<A> m, Object a) {
        return m.reads((A) a);
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
}
