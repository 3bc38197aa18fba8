package dev.moat.repl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.moat.engine.Connector;
import dev.moat.engine.HostRecap;
import dev.moat.engine.RunListener;
import dev.moat.engine.RunOptions;
import dev.moat.engine.RunSetup;
import dev.moat.engine.Runner;
import dev.moat.engine.Status;
import dev.moat.engine.TaskResult;
import dev.moat.inventory.Host;
import dev.moat.inventory.HostPattern;
import dev.moat.journal.Guard;
import dev.moat.playbook.Play;
import dev.moat.playbook.Playbook;
import dev.moat.template.Templar;
import dev.moat.transport.Transport;

/**
 * One playbook run of the shell: the real {@link Runner} on the shell's host only, over the
 * session's connection (borrowed, so the run's close leaves it open), journaled under the session's
 * run id through the {@link UndoLog}. Only the lockout guard's proof of reachability opens a
 * connection of its own, since it must show that a NEW session still gets in.
 */
final class SessionRun {
    private final ShellSetup setup;
    private final SessionTransport transport;
    private final String runId;
    private final Guard guard;
    private final UndoLog undo;

    SessionRun(ShellSetup setup, SessionTransport transport, String runId, UndoLog undo) {
        this.setup = setup;
        this.transport = transport;
        this.runId = runId;
        this.guard = new Guard(setup.guardDir());
        this.undo = undo;
    }

    /**
     * Runs {@code pb}'s plays that target the host; {@code started} hears the runner (for Ctrl-C).
     * {@code holder} names this run to whoever finds the host locked.
     */
    Outcome run(Playbook pb, Templar templar, boolean check, boolean diff, RunListener listener, String label, String holder,
                Consumer<Runner> started) throws IOException {
        Map<Play, List<String>> hosts = new LinkedHashMap<>();
        for (Play p : pb.plays()) {
            List<String> hs = new ArrayList<>();
            for (Host h : HostPattern.select(setup.inventory(), p.hosts(), setup.host())) hs.add(h.name());
            hosts.put(p, hs);
        }
        if (hosts.values().stream().allMatch(List::isEmpty)) {
            throw new BadInput("no play of " + pb.file().getFileName() + " targets " + setup.host());
        }
        SessionSnapshots snaps = undo.snapshots();
        RunSetup rs = new RunSetup(runId, new RunOptions(check, diff, 1, null, null, Map.of(), false), setup.modules(),
                templar, connector(), listener, snaps, guard, setup.guardTimeout(), null, holder);
        Runner runner = new Runner(rs);
        Map<String, Object> vars = new LinkedHashMap<>(setup.inventory().templateVars(setup.host()));
        vars.put("ansible_check_mode", check);
        vars.put("moat_run_id", runId);
        started.accept(runner);
        // The shell's lock, not the runner's: taken before the run reads anything, held for its whole length.
        try (ChangeLock.Held held = check ? ChangeLock.NOTHING : setup.lock().acquire(transport.borrowed(), runId, holder)) {
            for (String n : held.notices()) {
                listener.taskResult(new TaskResult(setup.host(), "stale lockout guard", "rollback", null, Status.OK, false, n,
                        null, null, Map.of(), 0, false, null));
            }
            runner.run(pb, hosts::get, h -> vars);
        }
        undo.record(runner.ledgers().get(setup.host()), snaps, label);
        HostRecap r = runner.recap().get(setup.host());
        if (r == null) return Outcome.OK;
        if (r.failed() > 0 || r.unreachable() > 0) return Outcome.FAILED;
        return r.changed() > 0 ? Outcome.CHANGED : Outcome.OK;
    }

    private Connector connector() {
        return new Connector() {
            private boolean first = true;

            @Override
            public synchronized Transport connect(String host, Map<String, Object> vars) throws IOException {
                if (first) {
                    first = false;
                    return transport.borrowed();
                }
                return transport.fresh();
            }
        };
    }
}
