package dev.moat.runs;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of {@code moat runs}, read from a run record. Host counts: a host {@code changed}
 * when its recap counts a change or its journal has an entry (a killed run has no recap for the
 * hosts it was working on); {@code rolledBack} when everything its journal holds was restored
 * (by the run's own rollback or by {@code moat rollback}). {@code exit} is null for a run that
 * never ended.
 */
public record RunSummary(String id, String started, String command, RunStatus status, String playbook, int hosts,
                  int changed, int failed, int unreachable, int rolledBack, Integer exit, String rolledBackAt) {

    public static RunSummary of(JsonNode r) {
        RunStatus status = RunStatus.of(r);
        int changed = 0, failed = 0, unreachable = 0, rolledBack = 0;
        for (JsonNode host : r.path("hosts")) {
            String h = host.asText();
            JsonNode recap = r.path("recap").path(h);
            JsonNode journal = r.path("journal").path(h);
            if (recap.path("changed").asInt() > 0 || undoable(journal) > 0) changed++;
            if (recap.path("failed").asInt() > 0) failed++;
            if (recap.path("unreachable").asInt() > 0) unreachable++;
            if (rolledBack(recap, journal)) rolledBack++;
        }
        Integer exit = status.incomplete() || !r.path("exit").canConvertToInt() ? null : r.path("exit").asInt();
        return new RunSummary(r.path("id").asText(), r.path("started").asText(), r.path("command").asText(), status,
                r.path("playbook").asText(), r.path("hosts").size(), changed, failed, unreachable, rolledBack, exit,
                r.path("rolled_back").asText(null));
    }

    private static boolean rolledBack(JsonNode recap, JsonNode journal) {
        if (recap.path("note").asText("").startsWith("rolled back")) return true;
        if (undoable(journal) == 0) return false;
        for (JsonNode e : journal) if (undoes(e) && !e.path("restored").asBoolean()) return false;
        return true;
    }

    /**
     * Whether a journal entry restores anything. An irreversible one (a command, which the journal
     * records before it runs, whether it then changes anything or not) does not: a run that only
     * ran {@code changed_when: false} commands changed nothing to roll back.
     */
    static boolean undoes(JsonNode entry) {
        return !"Irreversible".equals(entry.path("undo").path("kind").asText());
    }

    private static int undoable(JsonNode journal) {
        int n = 0;
        for (JsonNode e : journal) if (undoes(e)) n++;
        return n;
    }

    /** The {@code --json} line. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("started", started);
        m.put("command", command);
        m.put("status", status.toString());
        m.put("playbook", playbook);
        m.put("hosts", hosts);
        m.put("changed_hosts", changed);
        m.put("failed_hosts", failed);
        m.put("unreachable_hosts", unreachable);
        m.put("rolled_back_hosts", rolledBack);
        m.put("exit", exit);
        if (rolledBackAt != null) m.put("rolled_back", rolledBackAt);
        return m;
    }
}
