package dev.moat.compose;

import java.util.List;

/**
 * What {@link RunPlanner} decided for the containers started outside Compose: containers to
 * recreate through the Engine API ({@code recreate}) or by restarting the systemd unit that runs
 * them ({@code restart}), start files to patch, and the containers it refuses, which fail the task.
 */
public record RunDecision(List<Recreation> recreate, List<UnitRestart> restart, List<FilePatch> patches, List<String> refusals,
                          List<String> notes) {
    public RunDecision {
        recreate = List.copyOf(recreate);
        restart = List.copyOf(restart);
        patches = List.copyOf(patches);
        refusals = List.copyOf(refusals);
        notes = List.copyOf(notes);
    }

    /**
     * A container recreated with its ports rebound: its bindings before and after, the image name
     * the bodies ask for ({@code image}; null when they name {@code imageId} because the name moved),
     * both Engine API bodies, the bindings its new {@code HostConfig.PortBindings} must print as
     * ({@code bindingsJson}, as the docker CLI prints them) and the container ports checked live.
     */
    public record Recreation(String name, String id, boolean start, List<Binding> before, List<Binding> after, String image,
                             String imageId, String original, String rebound, String bindingsJson, List<String> ports) {
        public Recreation {
            before = List.copyOf(before);
            after = List.copyOf(after);
            ports = List.copyOf(ports);
        }
    }

    /** A container a systemd unit runs in the foreground ({@code docker run} without {@code -d}): restarting the unit recreates it. */
    public record UnitRestart(String unit, String container, List<Binding> before, List<Integer> hostPorts) {
        public UnitRestart {
            before = List.copyOf(before);
            hostPorts = List.copyOf(hostPorts);
        }
    }

    /** A start file whose {@code -p} arguments move to the bind address; {@code unit} is set for a systemd unit file or drop-in. */
    public record FilePatch(String path, boolean unit, String before, String after) {}
}
