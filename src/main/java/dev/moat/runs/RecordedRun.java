package dev.moat.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.moat.MoatException;
import dev.moat.journal.Restorer;

/**
 * A run record ({@code $MOAT_HOME/runs/RUN_ID.json}) as {@code moat rollback} reads and updates
 * it: which run to undo, the journal entries it has left to restore on each host, and which of
 * them a rollback settled.
 */
final class RecordedRun {
    private final Path file;
    private final ObjectNode record;

    private RecordedRun(Path file, ObjectNode record) {
        this.file = file;
        this.record = record;
    }

    /**
     * The record of {@code run} in {@code dir}, or for {@code last} the newest run that left
     * something to undo (commands alone, irreversible, don't count), a killed one included (its
     * record lists what it journaled before the kill) and a check run too (a {@code check_mode: false}
     * task in it made real, journaled changes); never a run still running.
     */
    static RecordedRun find(Path dir, String run) throws IOException {
        if (!run.equals("last")) {
            if (!ID.matcher(run).matches()) {
                throw MoatException.usage("'" + run + "' is not a run id (such as 20261207T031502-3fa9; see 'moat runs') nor 'last'");
            }
            Path f = dir.resolve(run + ".json");
            if (!Files.isRegularFile(f)) throw MoatException.usage("no run '" + run + "' in " + dir + " (see 'moat runs')");
            RecordedRun r = read(f);
            if (r.status() == RunStatus.RUNNING) {
                throw MoatException.usage("run '" + run + "' is still running (pid " + r.record.path("pid").asText() + "): wait for it to end");
            }
            return r;
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
            }
        }
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        for (Path f : files) {
            RecordedRun r;
            try {
                r = read(f);
            } catch (IOException | MoatException e) {
                continue; // not a record of this moat's: 'last' looks further back (moat runs lists it)
            }
            if (r.status() != RunStatus.RUNNING && r.leftToUndo()) return r;
        }
        throw MoatException.usage("no earlier run left anything to roll back (see 'moat runs')");
    }

    /**
     * The record in {@code file}, checked before anything in it can reach a host: JSON, of this
     * moat's {@link #FORMAT}, with an id that is a run id and names this file. Anything else is
     * exit 65 naming the file.
     */
    static RecordedRun read(Path file) throws IOException {
        JsonNode n;
        try {
            n = ResultJson.MAPPER.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw MoatException.invalid(file + ": not a run record (" + e.getOriginalMessage() + ")");
        }
        if (!(n instanceof ObjectNode o)) throw MoatException.invalid(file + ": not a run record");
        int format = o.path("format").asInt(1);
        if (format != FORMAT) {
            throw MoatException.invalid(file + ": a run record of format " + format + " (from " + (format < FORMAT ? "an older" : "a newer")
                    + " moat); this moat reads format " + FORMAT + " only: roll it back with the moat that made it");
        }
        String id = o.path("id").asText("");
        if (!ID.matcher(id).matches() || !file.getFileName().toString().equals(id + ".json")) {
            throw MoatException.invalid(file + ": its id '" + id + "' is not a run id naming this file");
        }
        if (!o.path("journal").isObject() && !o.path("journal").isMissingNode()) {
            throw MoatException.invalid(file + ": its journal is not a mapping of hosts");
        }
        return new RecordedRun(file, o);
    }

    /** The record format this moat writes and reads; 2 stores service names for reloads, never their shell text. */
    public static final int FORMAT = 2;

    /** What {@link RunRecorder#newId} makes: UTC time to the second and four hex digits. */
    static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9]{8}T[0-9]{6}-[0-9a-f]{4}");

    Path file() {
        return file;
    }

    String id() {
        return record.path("id").asText();
    }

    String playbook() {
        return record.path("playbook").asText();
    }

    RunStatus status() {
        return RunStatus.of(record);
    }

    private boolean leftToUndo() {
        for (JsonNode host : record.path("journal")) {
            for (JsonNode e : host) if (RunSummary.undoes(e) && !e.path("restored").asBoolean()) return true;
        }
        return false;
    }

    /**
     * Each host's entries not restored yet, in the order {@link Restorer#order} restores them;
     * only hosts {@code host} accepts and that have any.
     */
    Map<String, List<Restorer.Item>> pending(Predicate<String> host) {
        Map<String, List<Restorer.Item>> todo = new LinkedHashMap<>();
        record.path("journal").fields().forEachRemaining(e -> {
            if (!host.test(e.getKey())) return;
            List<Restorer.Item> items = new ArrayList<>();
            for (JsonNode n : e.getValue()) {
                if (n.path("restored").asBoolean()) continue;
                items.add(new Restorer.Item(n.path("seq").asInt(), UndoJson.parse(n.path("undo")), n.path("task").asText()));
            }
            if (!items.isEmpty()) todo.put(e.getKey(), Restorer.order(items));
        });
        return todo;
    }

    /** Marks the {@code settled} entries (host to seqs) restored and rewrites the record in one rename, so 'last' moves on. */
    void markRestored(Map<String, Set<Integer>> settled) throws IOException {
        JsonNode journal = record.path("journal");
        settled.forEach((host, seqs) -> {
            for (JsonNode n : journal.path(host)) {
                if (seqs.contains(n.path("seq").asInt())) ((ObjectNode) n).put("restored", true);
            }
        });
        record.put("rolled_back", Instant.now().toString());
        PrivateFiles.write(file, ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
    }
}
