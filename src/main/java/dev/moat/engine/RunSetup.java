package dev.moat.engine;

import java.time.Duration;
import java.util.Map;

import dev.moat.journal.Guard;
import dev.moat.template.Templar;

/**
 * Everything a {@link Runner} is built from: the run's id and options, the modules, Jinja, how to
 * connect, who listens, and the on-host journal and lockout guard with its timeout.
 */
public record RunSetup(String runId, RunOptions options, Map<String, Module<?>> modules, Templar templar,
                       Connector connector, RunListener listener, Snapshots snapshots, Guard guard,
                       Duration guardTimeout) {
    public RunSetup {
        if (guardTimeout == null) guardTimeout = Duration.ofSeconds(60);
    }
}
