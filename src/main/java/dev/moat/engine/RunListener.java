package dev.moat.engine;

import java.util.List;
import java.util.Map;

import dev.moat.journal.Ledger;

/**
 * Receives a run's events as they happen; the CLI prints them (human or JSON lines) and the run
 * record stores them. Called from many host threads: implementations synchronize.
 */
public interface RunListener {
    default void runStart(String runId, String playbook, List<String> hosts, boolean check) {}

    default void playStart(String play, List<String> hosts) {}

    default void taskStart(String host, String task) {}

    default void taskResult(TaskResult result) {}

    /** A line of -v detail: a command sent and its timing. */
    default void detail(String host, String text) {}

    /**
     * Write-ahead: {@code entries} are about to be journaled on {@code host}, before their
     * snapshots are taken and long before the change. The run record stores them at once, so a
     * run killed mid-way still names what it may have changed.
     */
    default void journaling(String host, List<Ledger.Entry> entries) {}

    /** {@code host} finished a play (or could not start it): its recap so far and its ledger (null if none). */
    default void hostDone(String host, HostRecap recap, Ledger ledger) {}

    default void runEnd(String runId, Map<String, HostRecap> recap, int exitCode, long millis) {}

    static RunListener all(List<RunListener> listeners) {
        return new RunListener() {
            @Override public void runStart(String id, String pb, List<String> h, boolean c) { listeners.forEach(l -> l.runStart(id, pb, h, c)); }
            @Override public void playStart(String p, List<String> h) { listeners.forEach(l -> l.playStart(p, h)); }
            @Override public void taskStart(String h, String t) { listeners.forEach(l -> l.taskStart(h, t)); }
            @Override public void taskResult(TaskResult r) { listeners.forEach(l -> l.taskResult(r)); }
            @Override public void detail(String h, String t) { listeners.forEach(l -> l.detail(h, t)); }
            @Override public void journaling(String h, List<Ledger.Entry> e) { listeners.forEach(l -> l.journaling(h, e)); }
            @Override public void hostDone(String h, HostRecap r, Ledger l) { listeners.forEach(x -> x.hostDone(h, r, l)); }
            @Override public void runEnd(String id, Map<String, HostRecap> r, int e, long m) { listeners.forEach(l -> l.runEnd(id, r, e, m)); }
        };
    }
}
