package dev.moat.engine;

import java.time.Duration;
import java.util.Map;

import dev.moat.journal.Guard;
import dev.moat.journal.RemoteLock;
import dev.moat.journal.Snapshots;
import dev.moat.module.Module;
import dev.moat.template.Templar;

/**
 * Everything a {@link Runner} is built from: the run's id and options, the modules, Jinja, how to
 * connect, who listens, the on-host journal, the lockout guard with its timeout, and the remote
 * lock ({@code null} for runs that change nothing) with {@code who} this run is, for its holder line,
 * and the {@link TaskGate} that may hold tasks back ({@code --start-at-task}, {@code --step}).
 */
public record RunSetup(String runId, RunOptions options, Map<String, Module<?>> modules, Templar templar,
                       Connector connector, RunListener listener, Snapshots snapshots, Guard guard,
                       Duration guardTimeout, RemoteLock lock, String who, TaskGate gate) {
    public RunSetup {
        if (guardTimeout == null) guardTimeout = Duration.ofSeconds(60);
        if (gate == null) gate = TaskGate.ALL;
    }

    /** A run in which every task runs. */
    public RunSetup(String runId, RunOptions options, Map<String, Module<?>> modules, Templar templar,
                    Connector connector, RunListener listener, Snapshots snapshots, Guard guard,
                    Duration guardTimeout, RemoteLock lock, String who) {
        this(runId, options, modules, templar, connector, listener, snapshots, guard, guardTimeout, lock, who, TaskGate.ALL);
    }
}
