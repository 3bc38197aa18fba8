package dev.moat.runs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.moat.ExitCode;
import dev.moat.inventory.Host;
import dev.moat.inventory.HostPattern;
import dev.moat.inventory.Inventory;
import dev.moat.inventory.InventorySources;
import dev.moat.journal.Journal;
import dev.moat.journal.RemoteLock;
import dev.moat.journal.Restorer;
import dev.moat.journal.StateDir;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;

/**
 * {@code moat rollback RUN_ID|last}: undoes an earlier run on its hosts from their journals,
 * newest change first, reloads last ({@link Restorer#order}). A resource changed since the run (by
 * hand, or by a later run) makes moat refuse for that host, listing what changed, unless
 * {@code force}. What was settled is marked restored in the run record, so {@code last} moves on.
 *
 * <p>A run that was killed (SIGKILL, a second Ctrl-C) is undone too: its record names every
 * journal entry before the entry was taken on the host, but its journal was never sealed, so
 * later edits cannot be detected, and an entry whose snapshot was never completed on the host
 * changed nothing and is skipped. A run that is still running is never rolled back.
 */
public final class RunRollback {
    /** The connections to the hosts being rolled back, closed when the rollback ends. */
    public interface Connections extends AutoCloseable {
        Transport connect(String host) throws IOException;

        @Override
        void close();
    }

    /** Opens the connections to {@code hosts} of {@code inventory}. */
    @FunctionalInterface
    public interface Connect {
        Connections open(Inventory inventory, Set<String> hosts) throws IOException;
    }

    private final String run;
    private final List<String> inventory;
    private final String limit;
    private final boolean force;
    private final Journal journal = new Journal(Journal.DEFAULT_DIR);

    /** {@code run} is a run id or {@code last}; {@code limit} (or null) a host pattern. */
    public RunRollback(String run, Path inventory, String limit, boolean force) {
        this(run, List.of(inventory.toString()), limit, force);
    }

    /** With the inventory sources as {@code -i} (or ansible.cfg) gives them: files, directories, scripts, host lists. */
    public RunRollback(String run, List<String> inventory, String limit, boolean force) {
        this.run = run;
        this.inventory = inventory;
        this.limit = limit;
        this.force = force;
    }

    /** Rolls the run back, reporting to {@code out}; returns the exit code. */
    public int execute(PrintWriter out, Connect connect) throws IOException {
        RecordedRun record = RecordedRun.find(MoatHome.runs(), run);
        String runId = record.id();
        boolean killed = record.status() == RunStatus.KILLED;
        Inventory inv = InventorySources.load(inventory, Path.of("").toAbsolutePath(), "-i");
        Set<String> allowed = new HashSet<>();
        if (limit != null) for (Host h : HostPattern.select(inv, limit)) allowed.add(h.name());
        Map<String, List<Restorer.Item>> todo = record.pending(h -> limit == null || allowed.contains(h));
        if (todo.isEmpty()) {
            out.println("run " + runId + ": nothing left to roll back" + (limit == null ? "" : " on " + limit));
            return ExitCode.OK;
        }
        for (String h : todo.keySet()) inv.requireHost(h);
        out.println("ROLLBACK run " + runId + " (" + record.playbook() + ") on " + todo.size() + " host(s)");
        if (killed) {
            out.println("note: run " + runId + " was killed before it ended: its journal was never sealed, so changes made"
                    + " since cannot be detected; only changes whose snapshot was taken whole are restored");
        }
        out.flush();
        RemoteLock lock = new RemoteLock(StateDir.ROOT);
        String lockId = "rollback-" + RunRecorder.newId();
        String who = RemoteLock.who("moat rollback " + run);
        Map<String, HostRollback> hosts = new LinkedHashMap<>();
        for (String h : todo.keySet()) hosts.put(h, new HostRollback(h, runId, killed, force, journal, lock, lockId, who));
        int code = ExitCode.OK;
        try (Connections connections = connect.open(inv, todo.keySet())) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(todo.size(), 50));
            Map<String, Future<HostRollback.Result>> results = new LinkedHashMap<>();
            for (String h : todo.keySet()) results.put(h, pool.submit(() -> rollback(connections, hosts.get(h), h, todo.get(h))));
            try {
                for (Map.Entry<String, Future<HostRollback.Result>> r : results.entrySet()) {
                    HostRollback.Result result;
                    try {
                        result = r.getValue().get();
                    } catch (ExecutionException e) {
                        result = new HostRollback.Result(ExitCode.FAILED, "failed: [" + r.getKey() + "] " + e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        result = new HostRollback.Result(ExitCode.FAILED, "failed: [" + r.getKey() + "] interrupted");
                    }
                    out.println(result.line());
                    code = ExitCode.worst(code, result.exit());
                }
            } finally {
                pool.shutdown();
                Map<String, Set<Integer>> settled = new LinkedHashMap<>();
                hosts.forEach((h, hr) -> settled.put(h, hr.settled()));
                record.markRestored(settled);
            }
        }
        if (killed && hosts.values().stream().allMatch(HostRollback::untouched)) {
            out.println("run " + runId + " changed no host before it was killed; 'moat rollback last' now picks the run before it");
        }
        out.flush();
        return code;
    }

    private static HostRollback.Result rollback(Connections connections, HostRollback host, String name, List<Restorer.Item> entries) {
        try (Transport t = connections.connect(name)) {
            return host.run(t, entries);
        } catch (UnreachableException e) {
            return new HostRollback.Result(ExitCode.UNREACHABLE, "unreachable: [" + name + "] " + e.getMessage());
        } catch (IOException e) {
            return new HostRollback.Result(ExitCode.FAILED, "failed: [" + name + "] " + e.getMessage());
        }
    }
}
