package dev.moat.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.moat.inventory.Inventory;
import dev.moat.runs.RunRollback;
import dev.moat.transport.Transport;
import dev.moat.transport.ssh.SshConnector;

/** The options of {@code moat rollback} (the README's command reference), and the SSH connections they make. */
final class RollbackOptions {
    @Parameters(index = "0", paramLabel = "RUN_ID|last")
    String run;

    @Mixin
    InventoryOption inventory = new InventoryOption();

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only these hosts.")
    String limit;

    @Option(names = "--force", description = "Restore even what changed since the run.")
    boolean force;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    RunRollback rollback() {
        conn.config = Cfg.load(null);
        conn.installVault();
        return new RunRollback(run, inventory.choose(conn.config).sources(), limit, force);
    }

    /** SSH connections to {@code hosts}, trusting the known_hosts files their variables name. */
    RunRollback.Connections connections(Inventory inv, Set<String> hosts) throws IOException {
        SshConnector ssh = new SshConnector(conn.settingsFor(inv, hosts, null));
        dev.moat.template.Templar templar = new dev.moat.template.Templar(inventory.baseDir(conn.config()), null);
        return new RunRollback.Connections() {
            @Override
            public Transport connect(String host) throws IOException {
                java.util.Map<String, Object> vars = conn.withDefaults(inv.templateVars(host));
                return ssh.connect(Endpoints.of(host, vars), Endpoints.becomePassword(host, vars, java.util.Map.of(), templar));
            }

            @Override
            public void close() {
                ssh.close();
            }
        };
    }
}
