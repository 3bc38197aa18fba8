package dev.moat.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run changed on one host, in order: each journal entry with the task and block it came
 * from. Rollback walks it backwards. Kept for the whole run, across plays.
 */
public final class Ledger {
    /** One snapshot taken before a change. {@code block} is the top-level block's index in its play, or -1. */
    public record Entry(int seq, Undo undo, String task, String play, int block, boolean restored, boolean noLog) {
        public Entry(int seq, Undo undo, String task, String play, int block, boolean restored) {
            this(seq, undo, task, play, block, restored, false);
        }

        Entry with(Undo u, boolean isRestored) {
            return new Entry(seq, u, task, play, block, isRestored, noLog);
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

    public boolean isOpen() {
        return open;
    }

    public void opened() {
        open = true;
    }

    public int nextSeq() {
        return sequence.incrementAndGet();
    }

    public void add(Entry e) {
        entries.add(e);
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    private final java.util.Map<Integer, String> summaries = new java.util.HashMap<>();

    /** What the snapshot of entry {@code seq} saw: "present MODE OWNER:GROUP SHA256-of-listing" or "absent". */
    public void summarize(int seq, String text) {
        summaries.put(seq, text);
    }

    public String summary(int seq) {
        return summaries.get(seq);
    }

    /** Replaces entry {@code seq}'s undo by what the change turned out to need (see {@link Snapshots#settled}). */
    public void settle(int seq, Undo undo) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.seq() == seq) entries.set(i, e.with(undo, e.restored()));
        }
    }

    public void markRestored(int seq) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.seq() == seq) entries.set(i, e.with(e.undo(), true));
        }
    }

    /** Entries not yet restored, newest first, optionally only those of one play's block. */
    public List<Entry> toUndo(String play, int block) {
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
