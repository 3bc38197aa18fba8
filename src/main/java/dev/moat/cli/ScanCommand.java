package dev.moat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import dev.moat.MoatException;
import dev.moat.inventory.Inventory;
import dev.moat.scan.ScanRun;
import dev.moat.scan.ScanSettings;
import dev.moat.transport.Transport;
import dev.moat.transport.ssh.SshConnector;

/**
 * {@code moat scan -i INVENTORY}: what a bot finds from outside (open AI ports and what answers on
 * them, the HTTP redirect, the vault's certificate and its 401), and with {@code --inside} what
 * exposes it, read on each host over SSH in one read-only command. Exit 2 when anything is
 * EXPOSED or a check FAILs, 3 when a host could not be resolved or reached. The scan itself is
 * {@link ScanRun}; this class reads the options and renders the findings as a table or JSON lines.
 */
@CommandLine.Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "scan",
        description = "Check from this machine that no AI port is exposed and the vault holds (exit 2 if anything is exposed).")
final class ScanCommand implements Callable<Integer> {
    @Mixin
    InventoryOption inventory = new InventoryOption();

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only these hosts.")
    String limit;

    @Option(names = "--ports", paramLabel = "LIST", split = ",",
            description = "AI ports to try, e.g. 8000,11434,9000-9010 (default: 8000,11434,8188,7860,8080,5000,3000,8888,6006,9090).")
    List<String> ports;

    @Option(names = "--json", description = "One JSON object per finding, then a summary; nothing else on stdout.")
    boolean json;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM bundle of the CAs a vault's certificate must chain to (default: the system trust store).")
    Path caFile;

    @Option(names = "--timeout-ms", defaultValue = "1000", paramLabel = "N", converter = AtLeastOne.class, description = "TCP connect timeout: what a filtered port costs (default ${DEFAULT-VALUE}).")
    int timeoutMs;

    @Option(names = "--concurrency", defaultValue = "256", paramLabel = "N", converter = AtLeastOne.class, description = "Connects in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--inside", description = "Also audit each host over SSH (one read-only command): listeners, containers, DNAT, compose files, OLLAMA_HOST, --listen.")
    boolean inside;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        conn.config = Cfg.load(spec.commandLine().getErr());
        conn.installVault();
        ScanRun.Request request = new ScanRun.Request(inventory.choose(conn.config).sources(), limit, parsePorts(ports), caFile, Duration.ofMillis(timeoutMs), concurrency, inside);
        ScanRun.Report report = new ScanRun(request, this::ssh).run();
        PrintWriter out = spec.commandLine().getOut();
        if (json) ScanPrinter.json(out, report);
        else ScanPrinter.table(out, report);
        out.flush();
        return report.exit();
    }

    /** SSH to the audited hosts with this command's connection options. */
    private ScanRun.Session ssh(Inventory inv, List<String> hosts) throws IOException {
        SshConnector ssh = new SshConnector(conn.settingsFor(inv, hosts, null));
        return new ScanRun.Session() {
            @Override
            public Transport connect(String host, Map<String, Object> vars) throws IOException {
                return ssh.connect(Endpoints.of(host, conn.withDefaults(vars)));
            }

            @Override
            public void close() {
                ssh.close();
            }
        };
    }

    /** "8000,9000-9010" as port numbers; null means the default AI ports; usage error (64) otherwise. */
    static List<Integer> parsePorts(List<String> items) {
        if (items == null || items.isEmpty()) return ScanSettings.AI_PORTS;
        Set<Integer> out = new LinkedHashSet<>();
        for (String item : items) {
            String s = item.trim();
            try {
                int dash = s.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? s : s.substring(0, dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(s.substring(dash + 1).trim());
                if (lo < 1 || hi > 65535 || lo > hi || hi - lo > 65535) throw new NumberFormatException();
                for (int p = lo; p <= hi; p++) out.add(p);
            } catch (NumberFormatException e) {
                throw MoatException.usage("--ports: '" + item + "' is not a port or a range like 9000-9010");
            }
        }
        return List.copyOf(out);
    }
}
