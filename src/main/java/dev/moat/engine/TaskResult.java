package dev.moat.engine;

import java.util.List;
import java.util.Map;

import dev.moat.journal.Undo;
import dev.moat.module.Diff;

/**
 * One task's outcome on one host, as data for the printers, the run record and {@code register}.
 * For a looped task it is the aggregate; {@code items} holds each item's own result.
 * With {@code no_log} the printers show only the status: {@code message}, {@code diffs} and the
 * registered values are withheld.
 */
public record TaskResult(String host, String task, String module, String where, Status status, boolean ignored,
                         String message, List<Diff> diffs, List<Undo> undo, Map<String, Object> registered,
                         long millis, boolean noLog, List<TaskResult> items) {
    public TaskResult {
        diffs = diffs == null ? List.of() : List.copyOf(diffs);
        undo = undo == null ? List.of() : List.copyOf(undo);
        registered = registered == null ? Map.of() : registered;
        items = items == null ? List.of() : List.copyOf(items);
    }

    public boolean changed() {
        return status == Status.CHANGED;
    }

    /** Failed and not ignored: the host stops here. */
    public boolean fatal() {
        return (status == Status.FAILED && !ignored) || status == Status.UNREACHABLE;
    }
}
