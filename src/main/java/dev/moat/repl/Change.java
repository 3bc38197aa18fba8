package dev.moat.repl;

import java.util.ArrayList;
import java.util.List;

import dev.moat.journal.Undo;

/**
 * What one shell command changed on the host: its journal entries (numbered in the session's
 * journal), in the order they were made. {@code :undo} restores them newest first.
 */
final class Change {
    /** One journal entry; {@code seq} is its number under the session's run id. */
    record Entry(int seq, Undo undo, String task) {}

    private final String command;
    private final List<Entry> pending;

    Change(String command, List<Entry> entries) {
        this.command = command;
        this.pending = new ArrayList<>(entries);
    }

    String command() {
        return command;
    }

    /** Entries not restored yet, newest first. */
    List<Entry> pending() {
        List<Entry> r = new ArrayList<>(pending);
        java.util.Collections.reverse(r);
        return r;
    }

    void restored(Entry e) {
        pending.remove(e);
    }

    boolean done() {
        return pending.isEmpty();
    }
}
