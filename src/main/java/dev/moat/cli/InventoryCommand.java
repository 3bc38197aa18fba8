package dev.moat.cli;

import java.util.concurrent.Callable;

import dev.moat.MoatException;
import dev.moat.config.AnsibleConfig;
import dev.moat.inventory.Inventory;
import dev.moat.inventory.InventoryReport;
import dev.moat.template.Secrets;
import dev.moat.vault.Vault;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat inventory -i F [--list|--graph [GROUP]] [--vars]}: the resolved inventory, as ansible-inventory prints it. */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "inventory", description = "Show resolved hosts, groups and variables (as ansible-inventory --list/--graph).")
final class InventoryCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    InventoryOption inventory = new InventoryOption();

    @Option(names = "--list", description = "All hosts and merged variables as JSON (the default).")
    boolean list;

    @Option(names = "--graph", arity = "0..1", fallbackValue = "all", paramLabel = "GROUP", description = "The group tree, from GROUP (default all).")
    String graph;

    @Option(names = "--vars", description = "With --graph: show variables too.")
    boolean vars;

    @CommandLine.Mixin
    VaultOptions vault = new VaultOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (list && graph != null) throw MoatException.usage("inventory: --list and --graph exclude each other");
        AnsibleConfig cfg = Cfg.load(spec.commandLine().getErr());
        vault.install(cfg.vaultPasswordFile().map(java.util.List::of).orElse(java.util.List.of()));
        Secrets secrets = new Secrets();
        Vault.current().onReveal(secrets::add);
        Inventory inv = inventory.load(cfg);
        String text = graph != null ? InventoryReport.graph(inv, graph, vars) : InventoryReport.list(inv);
        // Decrypted vault values are secrets here too: the listing shows that a value is set, never the value.
        spec.commandLine().getOut().println(secrets.mask(text));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
