package dev.moat.runs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.moat.ExitCode;
import dev.moat.journal.Journal;
import dev.moat.journal.RemoteLock;
import dev.moat.journal.Restorer;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Sh;
import dev.moat.transport.Transport;

/**
 * {@code moat rollback} on one host: under the host's lock, with the run's journal present, the
 * entries a killed run really took, refused when something changed since the run (unless
 * {@code force}), restored by the {@link Restorer}. Says what it did in one line (plus indented
 * details) and keeps the seqs it settled, for the run record.
 */
final class HostRollback {
    /** What the rollback of one host came to: its exit code and its report. */
    record Result(int exit, String line) {}

    private final String host;
    private final String runId;
    private final boolean killed;
    private final boolean force;
    private final Journal journal;
    private final RemoteLock lock;
    private final String lockId;
    private final String who;
    private final Set<Integer> settled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean untouched;

    HostRollback(String host, String runId, boolean killed, boolean force, Journal journal, RemoteLock lock, String lockId, String who) {
        this.host = host;
        this.runId = runId;
        this.killed = killed;
        this.force = force;
        this.journal = journal;
        this.lock = lock;
        this.lockId = lockId;
        this.who = who;
    }

    /** The seqs this host needs no further attempt for: restored, irreversible, or never taken by a killed run. */
    Set<Integer> settled() {
        return settled;
    }

    /** True when the run was killed before it changed this host. */
    boolean untouched() {
        return untouched;
    }

    /** Rolls {@code entries} (in {@link Restorer#order}) back over {@code t}. */
    Result run(Transport t, List<Restorer.Item> entries) throws IOException {
        RemoteLock.Outcome locked = RemoteLock.outcome(t.exec(Command.root(lock.acquire(lockId, who))));
        if (!locked.held()) return failed("refused: [" + host + "] " + locked.refusal());
        try {
            if (locked.refused()) return failed("refused: [" + host + "] " + locked.refusal());
            // Taking the lock fired any killed run's unconfirmed guard first: say so.
            StringBuilder stale = new StringBuilder();
            for (String notice : locked.notices()) stale.append("\n    warning: ").append(notice);
            // Without the run's journal nothing can be told, a killed run's changes included.
            if (!t.exec(Command.root("[ -d " + Sh.q(journal.runDir(runId)) + " ]")).ok()) {
                return failed("failed: [" + host + "] the host has no journal of run " + runId + " (kept: the last " + Journal.KEEP + " runs)" + stale);
            }
            if (killed) {
                entries = taken(t, entries);
                if (entries.isEmpty()) {
                    untouched = true;
                    return new Result(ExitCode.OK, "nothing to roll back: [" + host + "] run " + runId + " was killed before it changed this host" + stale);
                }
            }
            if (!force) {
                List<String> changed = changedSince(t, entries);
                if (!changed.isEmpty()) {
                    return failed("refused: [" + host + "] changed since run " + runId + " (use --force to restore anyway):\n    "
                            + String.join("\n    ", changed) + stale);
                }
            }
            return restore(t, entries, stale);
        } finally {
            t.exec(Command.root(lock.release(lockId)));
        }
    }

    private Result restore(Transport t, List<Restorer.Item> entries, CharSequence stale) {
        Restorer.Outcome o = new Restorer(journal, runId).restore(t::exec, entries);
        for (Restorer.Item i : o.settled()) settled.add(i.seq());
        String line = (o.ok() ? "rolled back: [" : "failed: [") + host + "] restored " + o.restored() + " change(s)";
        if (!o.ok()) line += "; NOT restored:\n    " + String.join("\n    ", o.problems());
        if (!o.irreversible().isEmpty()) line += "\n    cannot be undone, left as they are: " + String.join("; ", o.irreversible());
        return new Result(o.ok() ? ExitCode.OK : ExitCode.FAILED, line + stale);
    }

    /** What changed since the run, one line per resource (the newest entry's state stands for it). */
    private List<String> changedSince(Transport t, List<Restorer.Item> entries) throws IOException {
        List<String> changed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Restorer.Item e : entries) {
            String path = Journal.trackedPath(e.undo());
            // Masked paths (made from a secret) may stand for different files: each is compared.
            if (path == null || (!path.contains(dev.moat.template.Secrets.MASK) && !seen.add(path))) continue;
            ExecResult r = t.exec(Command.root(journal.changedSince(runId, e.seq(), e.undo())));
            if (r.rc() == Journal.CHANGED_SINCE) changed.add(r.err().strip());
            else if (!r.ok()) changed.add(path + ": could not compare (" + r.err().strip() + ")");
        }
        return changed;
    }

    /**
     * For a killed run: the entries whose snapshot the host holds whole. The others were written
     * ahead in the record but the run died before (or while) taking them, so their change never
     * ran: they are settled as they are.
     */
    private List<Restorer.Item> taken(Transport t, List<Restorer.Item> entries) throws IOException {
        ExecResult r = t.exec(Command.root(journal.completed(runId)));
        if (!r.ok()) throw new IOException("could not read the journal of run " + runId + ": " + r.err().strip());
        Set<Integer> done = new HashSet<>();
        for (String line : r.out().split("\n")) {
            if (line.strip().matches("\\d+")) done.add(Integer.parseInt(line.strip()));
        }
        List<Restorer.Item> keep = taken(entries, done);
        for (Restorer.Item e : entries) if (!keep.contains(e)) settled.add(e.seq());
        return keep;
    }

    /** The entries among {@code entries} whose snapshot was completed, order kept. */
    static List<Restorer.Item> taken(List<Restorer.Item> entries, Set<Integer> completed) {
        List<Restorer.Item> keep = new ArrayList<>();
        for (Restorer.Item e : entries) if (completed.contains(e.seq())) keep.add(e);
        return keep;
    }

    private static Result failed(String line) {
        return new Result(ExitCode.FAILED, line);
    }
}
