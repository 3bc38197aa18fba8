package dev.moat.modules;

import java.util.List;

import dev.moat.journal.AsyncJobs;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

/**
 * Ansible's {@code async_status}: the state of a job a task started with {@code async} and
 * {@code poll: 0} ({@code started}, {@code finished}, {@code ansible_job_id}, {@code results_file},
 * and once finished {@code rc}, {@code stdout}, {@code stderr}, {@code start}, {@code end},
 * {@code delta}); {@code mode: cleanup} removes the job's files. Read as the task's user, who
 * must be the one that started the job (root's jobs are under /var/lib/moat/async, a user's under
 * ~/.moat_async). The status is a read, so an {@code until} loop reads it afresh each attempt.
 *
 * <pre>
 * - command: /usr/local/bin/long-build
 *   async: 3600
 *   poll: 0
 *   register: build
 * - async_status: {jid: "{{ build.ansible_job_id }}"}
 *   register: job
 *   until: job.finished
 *   retries: 120
 *   delay: 30
 * </pre>
 */
public final class AsyncStatus implements Module<AsyncStatus.StatusArgs> {
    static final Spec SPEC = Spec.of(ArgSpec.required("jid", ArgType.STRING), ArgSpec.choice("mode", "status", "status", "cleanup"));

    /** The job, and whether to read it or remove its files. */
    public record StatusArgs(String jid, boolean cleanup) {}

    /** What job {@code jid}'s files say. */
    record JobFact(String jid) implements Fact<AsyncJobs.State> {
        @Override
        public String key() {
            return "async:" + jid;
        }

        @Override
        public String script() {
            return AsyncJobs.status(jid);
        }

        @Override
        public AsyncJobs.State parse(FactOutput out) throws TaskException {
            if (out.rc() != 0) throw new TaskException("reading async job " + jid + ": " + out.errText().strip());
            return AsyncJobs.parse(jid, out.text());
        }
    }

    @Override
    public String name() {
        return "async_status";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public StatusArgs bind(Args a) throws ArgException {
        String jid = a.str("jid");
        if (!AsyncJobs.valid(jid)) throw new ArgException("jid", "jid: '" + jid + "' is not a job id (such as j123456789012.4242)");
        return new StatusArgs(jid, "cleanup".equals(a.str("mode")));
    }

    @Override
    public List<Fact<?>> reads(StatusArgs args) {
        return List.of(new JobFact(args.jid()));
    }

    @Override
    public Plan plan(StatusArgs args, Facts facts, PlanContext ctx) throws TaskException {
        AsyncJobs.State s = facts.get(new JobFact(args.jid()));
        // Ansible's words for a job id it cannot find.
        if (!s.found()) throw new TaskException("could not find job (jid " + args.jid() + ")");
        if (args.cleanup()) {
            return Plan.builder().step(Step.run("remove async job " + args.jid() + "'s files", AsyncJobs.cleanup(args.jid())))
                    .undo(new Undo.Irreversible("async_status cleanup: job " + args.jid() + "'s files removed"))
                    .touches("async:" + args.jid()).build()
                    .withResult(java.util.Map.of("ansible_job_id", args.jid(), "erased", s.dir()));
        }
        return Plan.converged().withResult(s.result());
    }
}
