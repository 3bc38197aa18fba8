package dev.moat.compose;

import java.util.List;

/** One port entry rewritten: where, the entry's text before and after, the services it publishes for, and a note (or null). */
public record PortChange(int line, String before, String after, List<String> services, String note) {
    public PortChange {
        services = List.copyOf(services);
    }

    @Override
    public String toString() {
        return "line " + line + ": " + before + " -> " + after + " (" + String.join(", ", services) + ")"
                + (note == null ? "" : "; " + note);
    }
}
