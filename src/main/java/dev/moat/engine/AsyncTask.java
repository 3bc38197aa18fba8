package dev.moat.engine;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.journal.AsyncJobs;
import dev.moat.module.Plan;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.transport.ExecResult;

/**
 * A task with {@code async: SECONDS}: its step starts detached on the host ({@link AsyncJobs}),
 * then, unless {@code poll: 0}, moat looks at the job every {@code poll} seconds (one round trip
 * each) until it finishes or {@code async} seconds have passed, when the job is killed and the task
 * fails with Ansible's message. With {@code poll: 0} the task only starts the job and registers
 * {@code ansible_job_id} for {@code async_status}.
 *
 * <pre>
 * - command: /usr/sbin/dkms autoinstall
 *   async: 3600
 *   poll: 30
 * - command: apt-get -y dist-upgrade
 *   async: 7200
 *   poll: 0
 *   register: upgrade
 * - async_status: {jid: "{{ upgrade.ansible_job_id }}"}
 *   register: job
 *   until: job.finished
 *   retries: 240
 *   delay: 30
 * </pre>
 *
 * Only {@code command} and {@code shell} run detached: other modules' changes are journaled steps
 * that must finish while moat watches, so {@code async} on them is refused by name.
 */
final class AsyncTask {
    private AsyncTask() {}

    /** The modules whose one step can run detached. */
    static final Set<String> MODULES = Set.of("command", "shell");

    /** Refuses {@code async} on a module that cannot run detached. */
    static void check(String module) throws TaskException {
        if (!MODULES.contains(module)) {
            throw new TaskException("async: moat runs only command and shell detached, not " + module
                    + " (its change must finish while moat journals and checks it); remove async/poll from this task");
        }
    }

    /** {@code plan} with its one step started as job {@code jid} instead, killed after {@code limit} seconds. */
    static Plan detached(Plan plan, String jid, int limit) throws TaskException {
        if (plan.steps().size() != 1) throw new TaskException("async: a task with " + plan.steps().size() + " steps cannot run detached");
        Step s = plan.steps().get(0);
        Step launch = new Step(s.describe() + " (async job " + jid + ")", AsyncJobs.launch(jid, s.script(), limit), s.stdin(), s.sensitive());
        return new Plan(List.of(launch), plan.diffs(), plan.undo(), plan.touches(), plan.risks(), plan.result(), plan.message(), plan.skip());
    }

    /** What following a started job came to: the plan with the job's result added, and the outcome to judge. */
    record Followed(Plan plan, Applied applied) {}

    /** {@code poll: 0}: the job runs on; the task registers how to find it. */
    static Followed fired(Plan plan, String jid, Applied started) {
        Map<String, Object> r = new LinkedHashMap<>(plan.result());
        r.put("ansible_job_id", jid);
        r.put("started", 1);
        r.put("finished", 0);
        r.put("results_file", dir(started.last()));
        return new Followed(plan.withResult(r), new Applied(null, null, false, true));
    }

    /**
     * Looks at job {@code jid} every {@code poll} seconds until it finishes (its exit code, output and
     * times become the task's) or {@code limit} seconds pass (the job is killed, the task fails).
     */
    static Followed follow(Plan plan, String jid, int limit, int poll, HostSession on, RunAs as, RunContext run) {
        long deadline = System.nanoTime() + limit * 1_000_000_000L;
        AsyncJobs.State state = null;
        String step = plan.steps().get(0).describe();
        try {
            while (true) {
                double left = (deadline - System.nanoTime()) / 1e9;
                if (!Pauses.sleep(run, Math.max(0, Math.min(poll, left)))) {
                    return failed(plan, state, jid, "interrupted while polling async job " + jid + "; it runs on on the host"
                            + " (async_status: jid=" + jid + " reads it)");
                }
                state = AsyncJobs.parse(jid, on.exec(as, as.command(AsyncJobs.status(jid))).out());
                if (!state.found()) return failed(plan, state, jid, "async job " + jid + " vanished from the host");
                if (state.finished()) break;
                if (System.nanoTime() >= deadline) {
                    on.exec(as, as.command(AsyncJobs.kill(jid)));
                    return failed(plan, state, jid, "async task did not complete within the requested time - " + limit + "s");
                }
            }
        } catch (IOException e) {
            return failed(plan, state, jid, "polling async job " + jid + ": " + e.getMessage() + "; it runs on on the host");
        }
        Map<String, Object> r = new LinkedHashMap<>(plan.result());
        r.putAll(state.result());
        ExecResult last = new ExecResult(state.rc(), state.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                state.stderr().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String failure = null;
        if (state.rc() != 0) {
            String err = state.stderr().strip().isEmpty() ? state.stdout().strip() : state.stderr().strip();
            failure = step + " failed (exit " + state.rc() + ")" + (state.killed() ? ", killed after " + limit + "s" : "")
                    + (err.isEmpty() ? "" : ": " + err);
        }
        return new Followed(plan.withResult(r), new Applied(last, failure, false, true));
    }

    private static Followed failed(Plan plan, AsyncJobs.State state, String jid, String why) {
        Map<String, Object> r = new LinkedHashMap<>(plan.result());
        r.put("async_result", state == null ? Map.of("ansible_job_id", jid, "started", 1, "finished", 0) : state.result());
        return new Followed(plan.withResult(r), new Applied(null, why, false, true));
    }

    /** The job's directory, from the launch step's {@code @@async DIR} line. */
    private static String dir(ExecResult launched) {
        if (launched == null) return null;
        return launched.out().lines().filter(l -> l.startsWith("@@async ")).map(l -> l.substring(8)).findFirst().orElse(null);
    }
}
