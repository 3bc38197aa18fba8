package dev.moat.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import dev.moat.engine.HostRecap;
import dev.moat.engine.RunListener;
import dev.moat.engine.TaskResult;
import dev.moat.runs.ResultJson;

/** {@code --json}: one JSON object per line (run start, task result per host, host recap, run end) and nothing else on stdout. */
final class JsonPrinter implements RunListener {
    private final PrintWriter out;
    private final UnaryOperator<String> mask;

    JsonPrinter(PrintWriter out, UnaryOperator<String> mask) {
        this.out = out;
        this.mask = mask;
    }

    @Override
    public synchronized void runStart(String runId, String playbook, List<String> hosts, boolean check) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "run_start");
        m.put("run", runId);
        m.put("playbook", playbook);
        m.put("hosts", hosts);
        m.put("check", check);
        emit(m);
    }

    @Override
    public synchronized void taskResult(TaskResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "task");
        m.putAll(ResultJson.task(r, mask));
        emit(m);
    }

    @Override
    public synchronized void runEnd(String runId, Map<String, HostRecap> recap, int exitCode, long millis) {
        for (HostRecap r : new TreeMap<>(recap).values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "recap");
            m.putAll(ResultJson.recap(r));
            emit(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", "run_end");
        m.put("run", runId);
        m.put("exit", exitCode);
        m.put("ms", millis);
        emit(m);
    }

    private void emit(Map<String, Object> m) {
        out.println(ResultJson.line(m));
        out.flush();
    }
}
