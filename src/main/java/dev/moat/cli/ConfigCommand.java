package dev.moat.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.moat.config.AnsibleConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code moat config [--all]}: the ansible.cfg settings moat reads, their values and where each
 * came from, in the lines of {@code ansible-config dump --only-changed} (so the two can be
 * compared line for line):
 *
 * <pre>
 * CONFIG_FILE() = /home/ops/site/ansible.cfg
 * DEFAULT_FORKS(env: ANSIBLE_FORKS) = 20
 * DEFAULT_HOST_LIST(/home/ops/site/ansible.cfg) = ['/home/ops/site/inventory/hosts.ini']
 * </pre>
 */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "config",
        description = "Show the ansible.cfg settings moat reads and where each came from (as ansible-config dump --only-changed).")
final class ConfigCommand implements Callable<Integer> {
    @Option(names = "--all", description = "Also show the settings left at their defaults.")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        AnsibleConfig cfg = Cfg.load(spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        cfg.dump(!all).forEach(out::println);
        out.flush();
        return 0;
    }
}
