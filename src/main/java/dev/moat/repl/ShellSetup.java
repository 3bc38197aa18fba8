package dev.moat.repl;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.moat.engine.RunListener;
import dev.moat.inventory.Inventory;
import dev.moat.module.Module;

/**
 * What a shell is built from, assembled by the CLI: the inventory and the host, the modules, how to
 * open a connection, where the host's journal and lockout guard live, the history file, the
 * directory relative local paths resolve against, the remote lock, and the printer of run results.
 */
public record ShellSetup(Inventory inventory, String host, Map<String, Module<?>> modules, SessionTransport.Opener opener,
                         String journalDir, String guardDir, Duration guardTimeout, Path historyFile, Path workDir,
                         ChangeLock lock, Printers printers) {
    /** Makes the printer of one run's results: {@code color} on a terminal, {@code diff} when diffs are on. */
    public interface Printers {
        RunListener create(PrintWriter out, boolean color, boolean diff, UnaryOperator<String> mask);
    }

    /** Where the lockout guards are armed on a host, as {@code moat apply} arms them. */
    public static final String GUARD_DIR = dev.moat.journal.StateDir.GUARDS;

    public ShellSetup {
        if (inventory == null || host == null || modules == null || opener == null || printers == null) {
            throw new IllegalArgumentException("inventory, host, modules, opener and printers are required");
        }
        if (journalDir == null || journalDir.isBlank()) journalDir = dev.moat.journal.Journal.DEFAULT_DIR;
        if (guardDir == null || guardDir.isBlank()) guardDir = GUARD_DIR;
        if (guardTimeout == null) guardTimeout = Duration.ofSeconds(60);
        if (workDir == null) workDir = Path.of("").toAbsolutePath();
        if (lock == null) lock = ChangeLock.NONE;
    }
}
