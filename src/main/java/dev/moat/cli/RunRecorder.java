package dev.moat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import dev.moat.engine.HostRecap;
import dev.moat.engine.RunListener;
import dev.moat.engine.TaskResult;

/**
 * Writes {@code $MOAT_HOME/runs/RUN_ID.json} at the end of a run: what ran where, each result
 * (masked, no_log respected, undo as paths only), the recap and the exit code.
 */
final class RunRecorder implements RunListener {
    private final Path dir;
    private final UnaryOperator<String> mask;
    private final Map<String, Object> record = new LinkedHashMap<>();
    private final List<Object> results = new ArrayList<>();
    private final String command;

    RunRecorder(Path dir, String command, UnaryOperator<String> mask) {
        this.dir = dir;
        this.command = command;
        this.mask = mask;
    }

    @Override
    public synchronized void runStart(String runId, String playbook, List<String> hosts, boolean check) {
        record.put("id", runId);
        record.put("command", command);
        record.put("started", Instant.now().toString());
        record.put("playbook", playbook);
        record.put("check", check);
        record.put("hosts", hosts);
    }

    @Override
    public synchronized void taskResult(TaskResult r) {
        results.add(ResultJson.task(r, mask));
    }

    @Override
    public synchronized void runEnd(String runId, Map<String, HostRecap> recap, int exitCode, long millis) {
        record.put("ended", Instant.now().toString());
        record.put("ms", millis);
        record.put("exit", exitCode);
        Map<String, Object> r = new LinkedHashMap<>();
        for (HostRecap h : new TreeMap<>(recap).values()) r.put(h.host(), ResultJson.recap(h));
        record.put("recap", r);
        record.put("results", results);
    }

    /** Writes the record, with each host's journal (paths and kinds, never contents). */
    synchronized void write(Map<String, dev.moat.engine.Ledger> ledgers) {
        Map<String, Object> journal = new LinkedHashMap<>();
        for (Map.Entry<String, dev.moat.engine.Ledger> e : new TreeMap<>(ledgers).entrySet()) {
            List<Object> entries = new ArrayList<>();
            for (dev.moat.engine.Ledger.Entry en : e.getValue().entries()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("seq", en.seq());
                m.put("task", mask.apply(en.task()));
                m.put("play", en.play());
                m.put("block", en.block());
                m.put("undo", ResultJson.undo(en.undo()));
                String summary = e.getValue().summary(en.seq());
                if (summary != null) m.put("before", summary);
                m.put("restored", en.restored());
                entries.add(m);
            }
            journal.put(e.getKey(), entries);
        }
        record.put("journal", journal);
        String runId = String.valueOf(record.get("id"));
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(runId + ".json.tmp");
            ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), record);
            Files.move(tmp, dir.resolve(runId + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("moat: could not write the run record in " + dir + ": " + e.getMessage());
        }
    }

    /** A sortable, unique run id: UTC time to the second plus 4 random hex digits. */
    static String newId() {
        String t = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now());
        return t + "-" + String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));
    }
}
