package dev.moat.runs;

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
import dev.moat.journal.Ledger;
import dev.moat.journal.Undo;

/**
 * Writes {@code $MOAT_HOME/runs/RUN_ID.json}: what ran where, each result (masked, no_log
 * respected, undo as paths only), the recap, each host's journal and the exit code.
 *
 * <p>The record exists from the run's start, {@code "status": "running"} with the controller's
 * pid, and is rewritten (temp file + rename, never half-written) before every journal entry is
 * taken on a host and as each host finishes with a change, a failure or a note (a host that ended
 * ok and unchanged is written with the next save: nothing counts it); at the end it holds the results and
 * {@code "status": "finished"}. So a run killed with SIGKILL, or aborted by a second Ctrl-C,
 * still leaves a record naming everything it may have changed: {@code moat runs} shows it as
 * killed and {@code moat rollback last} can undo it.
 */
public final class RunRecorder implements RunListener {
    static final String RUNNING = "running";
    static final String FINISHED = "finished";
    static final String INTERRUPTED = "interrupted";

    private final Path dir;
    private final UnaryOperator<String> mask;
    private final Map<String, Object> record = new LinkedHashMap<>();
    private final List<Object> results = new ArrayList<>();
    private final Map<String, List<Object>> journal = new TreeMap<>();
    private final Map<String, Object> recap = new TreeMap<>();
    private final String command;

    public RunRecorder(Path dir, String command, UnaryOperator<String> mask) {
        this.dir = dir;
        this.command = command;
        this.mask = mask;
    }

    @Override
    public synchronized void runStart(String runId, String playbook, List<String> hosts, boolean check) {
        record.put("id", runId);
        record.put("format", RecordedRun.FORMAT);
        record.put("command", command);
        record.put("started", Instant.now().toString());
        record.put("playbook", playbook);
        record.put("check", check);
        record.put("hosts", hosts);
        record.put("status", RUNNING);
        ProcessHandle self = ProcessHandle.current();
        record.put("pid", self.pid());
        self.info().startInstant().ifPresent(t -> record.put("pid_started", t.toString()));
        save();
    }

    @Override
    public synchronized void taskResult(TaskResult r) {
        results.add(ResultJson.task(r, mask));
    }

    @Override
    public synchronized void journaling(String host, List<Ledger.Entry> entries) {
        List<Object> list = journal.computeIfAbsent(host, h -> new ArrayList<>());
        for (Ledger.Entry e : entries) list.add(entry(e, null));
        save();
    }

    /**
     * Keeps the host's recap and journal, and writes the record unless the host left nothing a reader
     * of a killed run counts ({@link RunSummary}: a change, a failure, an unreachable host, a note such
     * as "rolled back", a journal entry): such a host's recap is written with the next save. Writing the
     * whole record for every host made a run's saves grow with the square of its hosts (at 1000 hosts,
     * a million recaps serialized for a check that changed nothing).
     */
    @Override
    public synchronized void hostDone(String host, HostRecap r, Ledger ledger) {
        if (r != null) recap.put(host, ResultJson.recap(r));
        if (ledger != null) journal.put(host, entries(ledger));
        if (uneventful(r, ledger)) return;
        save();
    }

    private static boolean uneventful(HostRecap r, Ledger ledger) {
        boolean quietRecap = r == null || (r.changed() == 0 && r.failed() == 0 && r.unreachable() == 0 && r.note() == null);
        return quietRecap && (ledger == null || ledger.entries().isEmpty());
    }

    @Override
    public synchronized void runEnd(String runId, Map<String, HostRecap> recap, int exitCode, long millis) {
        record.put("status", FINISHED);
        record.put("ended", Instant.now().toString());
        record.put("ms", millis);
        record.put("exit", exitCode);
        for (HostRecap h : recap.values()) this.recap.put(h.host(), ResultJson.recap(h));
        record.put("results", results);
        save();
    }

    /** The run ended on a Ctrl-C: it stopped early, with exit 130. */
    public synchronized void interrupted(int exitCode) {
        record.put("status", INTERRUPTED);
        record.put("exit", exitCode);
    }

    /** Writes the record, with each host's journal as the run left it (paths and kinds, never contents). */
    public synchronized void write(Map<String, Ledger> ledgers) {
        for (Map.Entry<String, Ledger> e : ledgers.entrySet()) journal.put(e.getKey(), entries(e.getValue()));
        save();
    }

    private List<Object> entries(Ledger ledger) {
        List<Object> out = new ArrayList<>();
        for (Ledger.Entry en : ledger.entries()) out.add(entry(en, ledger.summary(en.seq())));
        return out;
    }

    private Map<String, Object> entry(Ledger.Entry en, String summary) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", en.seq());
        m.put("task", mask.apply(en.task()));
        m.put("play", en.play());
        m.put("block", en.block());
        // A no_log task's action is never written down, even masked: only that there was one.
        m.put("undo", en.noLog() && en.undo() instanceof Undo.Irreversible
                ? ResultJson.undo(new Undo.Irreversible("an action of a no_log task or of one holding a secret (hidden)"), mask) : ResultJson.undo(en.undo(), mask));
        if (summary != null) m.put("before", summary);
        // A change made here by another host's task (delegate_to): that host's rollback undoes it too.
        if (en.by() != null) m.put("delegated_from", en.by());
        m.put("restored", en.restored());
        return m;
    }

    /** Replaces the record on disk in one rename, so a reader (or a kill) never sees half of it. */
    private void save() {
        if (!record.containsKey("id")) return;
        record.put("recap", recap);
        record.put("journal", journal);
        String runId = String.valueOf(record.get("id"));
        try {
            PrivateFiles.write(dir.resolve(runId + ".json"), ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        } catch (IOException e) {
            if (!warned) System.err.println("moat: could not write the run record in " + dir + ": " + e.getMessage());
            warned = true;
        }
    }

    private boolean warned;

    /** A sortable, unique run id: UTC time to the second plus 4 random hex digits. */
    public static String newId() {
        String t = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now());
        return t + "-" + String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));
    }
}
