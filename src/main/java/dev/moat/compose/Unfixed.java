package dev.moat.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * A compose container that publishes in-scope ports outside loopback although none of its compose
 * files was read, so compose_ports cannot fix it: its name, project and service, whether it runs,
 * the exposed bindings and the files its labels name (empty when it has no such label).
 * {@link #toString()} is the line the task reports.
 */
public record Unfixed(String container, String project, String service, boolean running, List<Binding> exposed, List<String> files) {
    public Unfixed {
        exposed = List.copyOf(exposed);
        files = List.copyOf(files);
    }

    /** Why the task fails: which container still publishes which port, and which file to give it. */
    public String failure() {
        return container + " still publishes " + ports() + " and "
                + (files.isEmpty() ? "no compose file of project " + project + " was read: give its file in files:"
                                   : "its compose file " + String.join(", ", files) + " was not read: give it in files:");
    }

    @Override
    public String toString() {
        return "not fixed: " + container + " (project " + project + ", service " + service + ") publishes " + ports()
                + "; its compose files were not read" + (files.isEmpty() ? "" : " (" + String.join(", ", files) + ")")
                + (running ? "" : " (stopped)");
    }

    private String ports() {
        List<String> out = new ArrayList<>();
        for (Binding b : exposed) out.add(b.toString());
        return String.join(", ", out);
    }
}
