package dev.moat.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import dev.moat.runs.RunRollback;

/** {@code moat rollback RUN_ID|last -i INVENTORY}: undo an earlier run (see {@link RunRollback}). */
@CommandLine.Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "rollback", description = "Undo an earlier run (RUN_ID, or 'last': the last run that changed something).")
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    RollbackOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        options.conn.vault.install();
        return options.rollback().execute(spec.commandLine().getOut(), options::connections);
    }
}
