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
 * lock ({@code null} for runs that change nothing) with {@code who} this run is, for its holder line.
 */
public record RunSetup(String runId, RunOptions options, Map<String, Module<?>> modules, Templar templar,
                       Connector connector, RunListener listener, Snapshots snapshots, Guard guard,
                       Duration guardTimeout, RemoteLock lock, String who) {
    public RunSetup {
        if (guardTimeout == null) guardTimeout = Duration.ofSeconds(60);
    }
}
