package dev.moat.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code moat check}: apply --check --diff; exit 0 in sync, 2 on drift. Changes nothing. */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "check", description = "Report drift from the playbook with diffs; change nothing (exit 2 on drift).")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    PlaybookOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return new PlaybookRun(options, true, true, "check", spec).execute();
    }
}
