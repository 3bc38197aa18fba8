package dev.moat.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.journal.Undo;
import dev.moat.module.Diff;
import dev.moat.module.TaskException;
import dev.moat.playbook.LoopControl;
import dev.moat.playbook.Task;
import dev.moat.playbook.VarScope;

/**
 * A looped task on one host, as Ansible 2.14 runs it: every item in turn (its {@code when} judged
 * with the item in scope; a failed item does not stop the others), {@code loop_control}'s
 * {@code pause} between items and {@code label} in what is shown, and one registered result:
 * {@code results} (each item's result with its loop variable, {@code ansible_loop_var} and, if
 * asked, the index and {@code ansible_loop}), {@code changed}, {@code failed} only when an item
 * failed, {@code skipped}, and Ansible's {@code msg}.
 */
final class Loops {
    private final HostPlay play;
    private final TaskEval eval;
    private final RunContext run;

    Loops(HostPlay play, TaskEval eval, RunContext run) {
        this.play = play;
        this.eval = eval;
        this.run = run;
    }

    TaskResult run(Task t, VarScope vars, List<Object> items, boolean check, long t0) throws TaskException {
        LoopControl lc = t.loopControl();
        List<TaskResult> results = new ArrayList<>();
        List<Object> registered = new ArrayList<>();
        List<Diff> diffs = new ArrayList<>();
        List<Undo> undo = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        boolean changed = false, allSkipped = true;
        double pause = Pauses.seconds(eval.templar(), lc.pause(), 0, "loop_control: pause", vars);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0 && pause > 0 && !Pauses.sleep(run, pause)) break;
            VarScope iv = TaskEval.withItem(lc, vars, items, i);
            String label = label(lc, iv, items.get(i));
            TaskResult r;
            try {
                r = play.item(t, iv, check);
            } catch (TaskException | RuntimeException e) {
                r = HostPlay.withIgnore(play.failure(t.displayName(), t.module(), HostPlay.where(t.mark()), TaskEval.message(e), t.noLog()), t);
            }
            if (r.status() == Status.UNREACHABLE) return r;
            Map<String, Object> reg = new LinkedHashMap<>(r.registered());
            reg.putAll(TaskEval.locals(lc, items, i));
            reg.put("ansible_loop_var", lc.loopVar());
            if (lc.indexVar() != null) reg.put("ansible_index_var", lc.indexVar());
            if (r.status() != Status.SKIPPED && !reg.containsKey("failed")) reg.put("failed", r.status() == Status.FAILED);
            registered.add(reg);
            r = new TaskResult(r.host(), t.displayName() + " (item=" + label + ")", r.module(), r.where(), r.status(), r.ignored(),
                    r.message(), r.diffs(), r.undo(), reg, r.millis(), r.noLog(), null);
            results.add(r);
            run.listener().detail(play.host(), r.status().label() + ": [" + play.host() + "] => (item=" + label + ")"
                    + (r.status() == Status.FAILED && !t.noLog() ? " " + r.message() : ""));
            diffs.addAll(r.diffs());
            undo.addAll(r.undo());
            changed |= r.changed();
            allSkipped &= r.status() == Status.SKIPPED;
            if (r.status() == Status.FAILED) failures.add("item=" + label + ": " + (t.noLog() ? "(hidden by no_log)" : r.message()));
        }
        Map<String, Object> reg = new LinkedHashMap<>();
        reg.put("changed", changed);
        if (!failures.isEmpty()) reg.put("failed", true);
        if (!failures.isEmpty()) reg.put("msg", "One or more items failed");
        else if (items.isEmpty()) reg.put("skipped_reason", "No items in the list");
        else reg.put("msg", allSkipped ? "All items skipped" : "All items completed");
        reg.put("results", registered);
        reg.put("skipped", allSkipped);
        Status status = !failures.isEmpty() ? Status.FAILED : changed ? Status.CHANGED : allSkipped ? Status.SKIPPED : Status.OK;
        String msg = failures.isEmpty() ? null : failures.get(0) + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more failed item(s))" : "");
        TaskResult agg = new TaskResult(play.host(), t.displayName(), t.module(), HostPlay.where(t.mark()), status, false, msg, diffs,
                undo, reg, HostPlay.ms(t0), t.noLog(), results);
        return status == Status.FAILED ? HostPlay.withIgnore(agg, t) : agg;
    }

    /** What stands for the item in output: {@code loop_control.label} rendered, or the item as Python prints it. */
    private String label(LoopControl lc, VarScope iv, Object item) {
        try {
            return lc.label() != null ? eval.templar().renderString(lc.label(), iv) : eval.repr(item);
        } catch (RuntimeException e) {
            return String.valueOf(item);
        }
    }
}
