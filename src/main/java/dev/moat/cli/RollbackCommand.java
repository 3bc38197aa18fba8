package dev.moat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import dev.moat.inventory.Host;
import dev.moat.inventory.HostPattern;
import dev.moat.inventory.Inventory;
import dev.moat.inventory.InventoryLoader;
import dev.moat.journal.Journal;
import dev.moat.journal.RemoteLock;
import dev.moat.journal.Undo;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;
import dev.moat.transport.ssh.SshConnector;

/**
 * {@code moat rollback RUN_ID|last}: undoes an earlier run on its hosts from their journals,
 * newest change first. A resource changed since the run (by hand, or by a later run) makes moat
 * refuse for that host, listing what changed, unless {@code --force}.
 *
 * <p>A run that was killed (SIGKILL, a second Ctrl-C) is undone too: its record names every
 * journal entry before the entry was taken on the host, but its journal was never sealed, so
 * later edits cannot be detected, and an entry whose snapshot was never completed on the host
 * changed nothing and is skipped. A run that is still running is never rolled back.
 */
@CommandLine.Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "rollback", description = "Undo an earlier run (RUN_ID, or 'last': the last run that changed something).")
final class RollbackCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ID|last")
    String run;

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "INVENTORY")
    Path inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only these hosts.")
    String limit;

    @Option(names = "--force", description = "Restore even what changed since the run.")
    boolean force;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    record Entry(int seq, Undo undo, String task, boolean restored) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path file = find();
        ObjectNode record = (ObjectNode) ResultJson.MAPPER.readTree(file.toFile());
        String runId = record.path("id").asText();
        boolean killed = RunStatus.of(record) == RunStatus.KILLED;
        Inventory inv = InventoryLoader.load(inventory);
        Set<String> allowed = new HashSet<>();
        if (limit != null) for (Host h : HostPattern.select(inv, limit)) allowed.add(h.name());
        Map<String, List<Entry>> todo = new LinkedHashMap<>();
        record.path("journal").fields().forEachRemaining(e -> {
            if (limit != null && !allowed.contains(e.getKey())) return;
            List<Entry> list = new ArrayList<>();
            for (JsonNode n : e.getValue()) {
                if (n.path("restored").asBoolean()) continue;
                list.add(new Entry(n.path("seq").asInt(), UndoJson.parse(n.path("undo")), n.path("task").asText(), false));
            }
            list.sort(Comparator.comparingInt(Entry::seq).reversed());
            // Reloads run after every restore (as the in-run rollback does).
            List<Entry> restores = new ArrayList<>(), reloads = new ArrayList<>();
            for (Entry en : list) {
                if (en.undo() instanceof Undo.Reload) {
                    reloads.add(en);
                } else {
                    restores.add(en);
                }
            }
            list = new ArrayList<>(restores);
            list.addAll(reloads);
            if (!list.isEmpty()) todo.put(e.getKey(), list);
        });
        if (todo.isEmpty()) {
            out.println("run " + runId + ": nothing left to roll back" + (limit == null ? "" : " on " + limit));
            return ExitCode.OK;
        }
        for (String h : todo.keySet()) inv.requireHost(h);
        out.println("ROLLBACK run " + runId + " (" + record.path("playbook").asText() + ") on " + todo.size() + " host(s)");
        if (killed) {
            out.println("note: run " + runId + " was killed before it ended: its journal was never sealed, so changes made"
                    + " since cannot be detected; only changes whose snapshot was taken whole are restored");
        }
        out.flush();
        Journal journal = new Journal(Journal.DEFAULT_DIR);
        Map<String, Integer> exit = new LinkedHashMap<>();
        try (SshConnector ssh = new SshConnector(conn.settingsFor(inv, todo.keySet(), null))) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(todo.size(), 50));
            Map<String, Future<String>> results = new LinkedHashMap<>();
            for (Map.Entry<String, List<Entry>> e : todo.entrySet()) {
                results.put(e.getKey(), pool.submit(() -> rollbackHost(ssh, inv, e.getKey(), runId, e.getValue(), journal, exit, killed)));
            }
            try {
                for (Map.Entry<String, Future<String>> r : results.entrySet()) {
                    String line;
                    try {
                        line = r.getValue().get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        synchronized (exit) { exit.put(r.getKey(), ExitCode.FAILED); }
                        line = "failed: [" + r.getKey() + "] " + e.getCause();
                    }
                    out.println(line);
                }
            } finally {
                pool.shutdown();
                markRestored(file, record, exit);
            }
        }
        int code = ExitCode.OK;
        for (int c : exit.values()) code = ExitCode.worst(code, c);
        if (killed && untouched.size() == todo.size()) {
            out.println("run " + runId + " changed no host before it was killed; 'moat rollback last' now picks the run before it");
        }
        out.flush();
        return code;
    }

    /** Hosts a killed run never changed (none of its snapshots there was completed). */
    private final Set<String> untouched = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private String rollbackHost(SshConnector ssh, Inventory inv, String host, String runId, List<Entry> entries,
                                Journal journal, Map<String, Integer> exit, boolean killed) {
        try (Transport t = ssh.connect(Endpoints.of(host, inv.templateVars(host)))) {
            RemoteLock.Outcome locked = RemoteLock.outcome(t.exec(Command.root(lock.acquire(rollbackId, who()))));
            if (!locked.held()) {
                synchronized (exit) { exit.put(host, ExitCode.FAILED); }
                return "refused: [" + host + "] " + locked.refusal();
            }
            try {
                if (locked.refused()) {
                    synchronized (exit) { exit.put(host, ExitCode.FAILED); }
                    return "refused: [" + host + "] " + locked.refusal();
                }
                // Taking the lock fired any killed run's unconfirmed guard first: say so.
                StringBuilder stale = new StringBuilder();
                for (String notice : locked.notices()) stale.append("\n    warning: ").append(notice);
                // Without the run's journal nothing can be told, a killed run's changes included.
                if (!t.exec(Command.root("[ -d " + dev.moat.transport.Sh.q(journal.runDir(runId)) + " ]")).ok()) {
                    synchronized (exit) { exit.put(host, ExitCode.FAILED); }
                    return "failed: [" + host + "] the host has no journal of run " + runId + " (kept: the last " + Journal.KEEP + " runs)" + stale;
                }
                if (killed) {
                    entries = taken(t, host, runId, entries, journal);
                    if (entries.isEmpty()) {
                        untouched.add(host);
                        synchronized (exit) { exit.put(host, ExitCode.OK); }
                        return "nothing to roll back: [" + host + "] run " + runId + " was killed before it changed this host" + stale;
                    }
                }
                return restoreHost(t, host, runId, entries, journal, exit) + stale;
            } finally {
                t.exec(Command.root(lock.release(rollbackId)));
            }
        } catch (UnreachableException e) {
            synchronized (exit) { exit.put(host, ExitCode.UNREACHABLE); }
            return "unreachable: [" + host + "] " + e.getMessage();
        } catch (IOException e) {
            synchronized (exit) { exit.put(host, ExitCode.FAILED); }
            return "failed: [" + host + "] " + e.getMessage();
        }
    }

    private final RemoteLock lock = new RemoteLock(dev.moat.journal.StateDir.ROOT);
    private final String rollbackId = "rollback-" + RunRecorder.newId();

    private String who() {
        String h;
        try {
            h = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = "unknown";
        }
        return System.getProperty("user.name") + "@" + h + " (moat rollback " + run + ")";
    }

    private String restoreHost(Transport t, String host, String runId, List<Entry> entries, Journal journal,
                               Map<String, Integer> exit) throws IOException {
        {
            if (!force) {
                List<String> changed = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (Entry e : entries) {
                    String key = key(e.undo());
                    if (key == null || !seen.add(key)) continue;
                    ExecResult r = t.exec(Command.root(journal.changedSince(runId, e.seq(), e.undo())));
                    if (r.rc() == Journal.CHANGED_SINCE) changed.add(r.err().strip());
                    else if (!r.ok()) changed.add(key + ": could not compare (" + r.err().strip() + ")");
                }
                if (!changed.isEmpty()) {
                    synchronized (exit) { exit.put(host, ExitCode.FAILED); }
                    return "refused: [" + host + "] changed since run " + runId + " (use --force to restore anyway):\n    "
                            + String.join("\n    ", changed);
                }
            }
            List<String> problems = new ArrayList<>();
            List<String> irreversible = new ArrayList<>();
            int restored = 0;
            for (Entry e : entries) {
                if (e.undo() instanceof Undo.Irreversible i) {
                    // Reported once, then settled: nothing more can be done for it.
                    irreversible.add(i.what());
                    synchronized (restoredSeqs) { restoredSeqs.computeIfAbsent(host, k -> new HashSet<>()).add(e.seq()); }
                    continue;
                }
                ExecResult r = t.exec(Command.root(journal.restore(runId, e.seq(), e.undo())));
                if (r.ok()) {
                    restored++;
                    synchronized (restoredSeqs) { restoredSeqs.computeIfAbsent(host, k -> new HashSet<>()).add(e.seq()); }
                } else {
                    problems.add(e.task() + ": " + r.err().strip());
                }
            }
            synchronized (exit) { exit.put(host, problems.isEmpty() ? ExitCode.OK : ExitCode.FAILED); }
            String line = (problems.isEmpty() ? "rolled back: [" : "failed: [") + host + "] restored " + restored + " change(s)";
            if (!problems.isEmpty()) line += "; NOT restored:\n    " + String.join("\n    ", problems);
            if (!irreversible.isEmpty()) line += "\n    cannot be undone, left as they are: " + String.join("; ", irreversible);
            return line;
        }
    }

    private final Map<String, Set<Integer>> restoredSeqs = new LinkedHashMap<>();

    /**
     * For a killed run: the entries whose snapshot the host holds whole. The others were written
     * ahead in the record but the run died before (or while) taking them, so their change never
     * ran: they are settled as they are.
     */
    private List<Entry> taken(Transport t, String host, String runId, List<Entry> entries, Journal journal) throws IOException {
        ExecResult r = t.exec(Command.root(journal.completed(runId)));
        if (!r.ok()) throw new IOException("could not read the journal of run " + runId + ": " + r.err().strip());
        Set<Integer> done = new HashSet<>();
        for (String line : r.out().split("\n")) {
            if (line.strip().matches("\\d+")) done.add(Integer.parseInt(line.strip()));
        }
        List<Entry> keep = taken(entries, done);
        for (Entry e : entries) {
            if (keep.contains(e)) continue;
            synchronized (restoredSeqs) { restoredSeqs.computeIfAbsent(host, k -> new HashSet<>()).add(e.seq()); }
        }
        return keep;
    }

    /** The entries among {@code entries} whose snapshot was completed, order kept. */
    static List<Entry> taken(List<Entry> entries, Set<Integer> completed) {
        List<Entry> keep = new ArrayList<>();
        for (Entry e : entries) if (completed.contains(e.seq())) keep.add(e);
        return keep;
    }

    private static String key(Undo u) {
        if (u instanceof Undo.RestorePath p) return p.path();
        if (u instanceof Undo.RestoreFirewall) return "/etc/ufw";
        return null;
    }

    /** Marks restored entries in the run record, so 'last' moves on to an earlier run. */
    private void markRestored(Path file, ObjectNode record, Map<String, Integer> exit) throws IOException {
        JsonNode journal = record.path("journal");
        restoredSeqs.forEach((host, seqs) -> {
            for (JsonNode n : journal.path(host)) {
                if (seqs.contains(n.path("seq").asInt())) ((ObjectNode) n).put("restored", true);
            }
        });
        record.put("rolled_back", java.time.Instant.now().toString());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ResultJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), record);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The record of RUN_ID, or for 'last' the newest apply that left something to undo (commands
     * alone, irreversible, don't count), a killed one included (its record lists what it journaled before the kill); never a run still running.
     */
    Path find() throws IOException {
        Path dir = MoatHome.runs();
        if (!run.equals("last")) {
            Path f = dir.resolve(run + ".json");
            if (!Files.isRegularFile(f)) throw MoatException.usage("no run '" + run + "' in " + dir + " (see 'moat runs')");
            JsonNode r = ResultJson.MAPPER.readTree(f.toFile());
            if (RunStatus.of(r) == RunStatus.RUNNING) {
                throw MoatException.usage("run '" + run + "' is still running (pid " + r.path("pid").asText() + "): wait for it to end");
            }
            return f;
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
            }
        }
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        for (Path f : files) {
            JsonNode r;
            try {
                r = ResultJson.MAPPER.readTree(f.toFile());
            } catch (IOException e) {
                continue;
            }
            if (r.path("check").asBoolean() || RunStatus.of(r) == RunStatus.RUNNING) continue;
            for (JsonNode host : r.path("journal")) {
                for (JsonNode e : host) if (RunSummary.undoes(e) && !e.path("restored").asBoolean()) return f;
            }
        }
        throw MoatException.usage("no earlier run left anything to roll back (see 'moat runs')");
    }
}
