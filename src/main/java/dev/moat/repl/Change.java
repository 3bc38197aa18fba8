package dev.moat.repl;

import java.util.ArrayList;
import java.util.List;

import dev.moat.journal.Restorer;

/**
 * What one shell command changed on the host: its journal entries (numbered in the session's
 * journal), in the order they were made. {@code :undo} restores them in {@link Restorer#order}.
 */
final class Change {
    private final String command;
    private final List<Restorer.Item> pending;

    Change(String command, List<Restorer.Item> entries) {
        this.command = command;
        this.pending = new ArrayList<>(entries);
    }

    String command() {
        return command;
    }

    /** Entries not restored yet. */
    List<Restorer.Item> pending() {
        return List.copyOf(pending);
    }

    void restored(Restorer.Item e) {
        pending.remove(e);
    }

    boolean done() {
        return pending.isEmpty();
    }
}
