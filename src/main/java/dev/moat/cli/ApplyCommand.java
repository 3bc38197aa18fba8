package dev.moat.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code moat apply PLAYBOOK -i INVENTORY}: converge the hosts; {@code --check} only reports. */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "apply", description = "Run a playbook: converge the hosts, in parallel, rolling back a host that fails.")
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    PlaybookOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return new PlaybookRun(options, options.check, options.diff, options.check ? "check" : "apply", spec).execute();
    }
}
