package dev.moat.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run changed on one host, in order: each journal entry with the task and block it came
 * from. Rollback walks it backwards. Kept for the whole run, across plays. Thread-safe: a host's
 * own thread and the threads of hosts that delegate tasks to it may add entries at once.
 */
public final class Ledger {
    /**
     * One snapshot taken before a change. {@code block} is the top-level block's index in its play, or -1;
     * {@code by} is the host whose task changed this one through {@code delegate_to} (its play and block),
     * or null for the host's own task.
     */
    public record Entry(int seq, Undo undo, String task, String play, int block, boolean restored, boolean noLog, String by) {
        public Entry(int seq, Undo undo, String task, String play, int block, boolean restored, boolean noLog) {
            this(seq, undo, task, play, block, restored, noLog, null);
        }

        public Entry(int seq, Undo undo, String task, String play, int block, boolean restored) {
            this(seq, undo, task, play, block, restored, false);
        }

        Entry with(Undo u, boolean isRestored) {
            return new Entry(seq, u, task, play, block, isRestored, noLog, by);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger sequence;
    private boolean open;

    /**
     * {@code sequence} numbers entries across the whole run, not per host, so two inventory names
     * for one server never overwrite each other's snapshots.
     */
    public Ledger(java.util.concurrent.atomic.AtomicInteger sequence) {
        this.sequence = sequence;
    }

    public synchronized boolean isOpen() {
        return open;
    }

    public synchronized void opened() {
        open = true;
    }

    public int nextSeq() {
        return sequence.incrementAndGet();
    }

    public synchronized void add(Entry e) {
        entries.add(e);
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    private final java.util.Map<Integer, String> summaries = new java.util.HashMap<>();

    /** What the snapshot of entry {@code seq} saw: "present MODE OWNER:GROUP SHA256-of-listing" or "absent". */
    public synchronized void summarize(int seq, String text) {
        summaries.put(seq, text);
    }

    public synchronized String summary(int seq) {
        return summaries.get(seq);
    }

    /** Replaces entry {@code seq}'s undo by what the change turned out to need (see {@link Snapshots#settled}). */
    public synchronized void settle(int seq, Undo undo) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.seq() == seq) entries.set(i, e.with(undo, e.restored()));
        }
    }

    public synchronized void markRestored(int seq) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.seq() == seq) entries.set(i, e.with(e.undo(), true));
        }
    }

    /** Entries not yet restored that host {@code by}'s tasks made here through {@code delegate_to}, newest first (see {@link #toUndo}). */
    public synchronized List<Entry> delegatedBy(String by, String play, int block) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : toUndo(play, block)) if (by.equals(e.by())) out.add(e);
        return out;
    }

    /** Entries not yet restored, newest first, optionally only those of one play's block. */
    public synchronized List<Entry> toUndo(String play, int block) {
        List<Entry> out = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.restored()) continue;
            if (play != null && (!play.equals(e.play()) || e.block() != block)) continue;
            out.add(e);
        }
        return out;
    }
}
