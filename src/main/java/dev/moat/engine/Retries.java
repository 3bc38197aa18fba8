package dev.moat.engine;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.moat.module.TaskException;
import dev.moat.playbook.Polling;
import dev.moat.playbook.Task;
import dev.moat.playbook.VarScope;

/**
 * {@code until}/{@code retries}/{@code delay}: a task's attempts until its condition holds, as
 * Ansible 2.14 counts them: {@code retries} (3 unless said) retries after the first attempt,
 * {@code delay} (5) seconds apart; each attempt reads again only what the task reads and plans
 * anew. {@code attempts} is in the result; when the condition never holds the task fails with
 * {@code attempts} equal to {@code retries}, as Ansible reports it. In check mode an attempt
 * that would change the host, or is skipped, ends the retries: its outcome cannot be judged.
 */
final class Retries {
    private final HostPlay play;
    private final VarScope scope;
    private final TaskEval eval;
    private final RunContext run;

    Retries(HostPlay play, VarScope scope, TaskEval eval, RunContext run) {
        this.play = play;
        this.scope = scope;
        this.eval = eval;
        this.run = run;
    }

    TaskResult run(Task t, VarScope vars, boolean check, long t0) throws TaskException {
        Polling p = t.polling();
        if (!p.retrying()) return waiting(t, vars, check, t0, false);
        int retries = Pauses.number(eval.templar(), p.retries(), 3, "retries", vars);
        double delay = Pauses.seconds(eval.templar(), p.delay(), 5, "delay", vars);
        if (delay < 0) delay = 1;
        int attempts = retries <= 0 ? 1 : retries + 1;
        for (int attempt = 1; ; attempt++) {
            TaskResult r = waiting(t, vars, check, attempt == 1 ? t0 : System.nanoTime(), attempt > 1);
            if (r.status() == Status.UNREACHABLE) return r;
            Map<String, Object> reg = new LinkedHashMap<>(r.registered());
            reg.put("attempts", attempt);
            r = withRegistered(r, reg, r.status(), r.message());
            if (r.status() == Status.SKIPPED || (check && r.changed())) return r;
            if (t.register() != null) scope.register(t.register(), reg);
            if (eval.conditionsHold(p.until(), vars)) return r;
            if (attempts == 1) return r;
            if (attempt >= attempts || run.stopping()) {
                reg.put("attempts", attempts - 1);
                reg.put("failed", true);
                String why = "until: " + String.join(" and ", p.until()) + " still false after " + attempt + " attempts"
                        + (r.status() == Status.FAILED && r.message() != null ? ": " + r.message() : "");
                return HostPlay.withIgnore(withRegistered(r, reg, Status.FAILED, why), t);
            }
            run.listener().detail(play.host(), "FAILED - RETRYING: [" + play.host() + "]: " + t.displayName() + " ("
                    + (attempts - attempt) + " retries left).");
            if (!Pauses.sleep(run, delay)) attempt = attempts - 1;
        }
    }

    /**
     * One attempt; for a module that waits ({@code wait_for}), its looks at the host every
     * {@code sleep} seconds, each a fresh read, until it is satisfied or its {@code timeout} passes.
     */
    private TaskResult waiting(Task t, VarScope vars, boolean check, long t0, boolean reread) throws TaskException {
        long start = System.nanoTime();
        for (boolean fresh = reread; ; fresh = true) {
            try {
                TaskResult r = play.runOnce(t, vars, check, t0, fresh);
                if (!(run.modules().get(t.module()) instanceof dev.moat.module.Waiting<?>) || r.status() == Status.SKIPPED) return r;
                Map<String, Object> reg = new LinkedHashMap<>(r.registered());
                reg.put("elapsed", (int) ((System.nanoTime() - start) / 1_000_000_000L));
                return withRegistered(r, reg, r.status(), r.message());
            } catch (dev.moat.module.NotYet n) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (elapsed + n.sleep() > n.timeout() || !Pauses.sleep(run, n.sleep())) throw new TaskException(n.getMessage());
            }
        }
    }

    private static TaskResult withRegistered(TaskResult r, Map<String, Object> reg, Status status, String message) {
        return new TaskResult(r.host(), r.task(), r.module(), r.where(), status, r.ignored() && status == Status.FAILED, message,
                r.diffs(), r.undo(), reg, r.millis(), r.noLog(), r.items());
    }
}
