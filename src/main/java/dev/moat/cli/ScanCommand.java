package dev.moat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import dev.moat.inventory.Host;
import dev.moat.inventory.HostPattern;
import dev.moat.inventory.Inventory;
import dev.moat.inventory.InventoryLoader;
import dev.moat.playbook.VarScope;
import dev.moat.runs.ResultJson;
import dev.moat.scan.AuditOutput;
import dev.moat.scan.AuditScript;
import dev.moat.scan.Finding;
import dev.moat.scan.InsideAudit;
import dev.moat.scan.OutsideScan;
import dev.moat.scan.ScanSettings;
import dev.moat.scan.ScanTarget;
import dev.moat.scan.Trust;
import dev.moat.scan.VaultService;
import dev.moat.scan.Verdict;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;
import dev.moat.transport.ssh.SshConnector;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code moat scan -i INVENTORY}: what a bot finds from outside (open AI ports and what answers on
 * them, the HTTP redirect, the vault's certificate and its 401), and with {@code --inside} what
 * exposes it, read on each host over SSH in one read-only command. Exit 2 when anything is
 * EXPOSED or a check FAILs, 3 when a host could not be resolved or reached.
 */
@CommandLine.Command(mixinStandardHelpOptions = true, versionProvider = Version.class, name = "scan",
        description = "Check from this machine that no AI port is exposed and the vault holds (exit 2 if anything is exposed).")
final class ScanCommand implements Callable<Integer> {
    static final List<String> DEFAULT_COMPOSE_SEARCH = List.of("/opt", "/srv", "/home", "/root");

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "INVENTORY")
    Path inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only these hosts.")
    String limit;

    @Option(names = "--ports", paramLabel = "LIST", split = ",",
            description = "AI ports to try, e.g. 8000,11434,9000-9010 (default: 8000,11434,8188,7860,8080,5000,3000,8888,6006,9090).")
    List<String> ports;

    @Option(names = "--json", description = "One JSON object per finding, then a summary; nothing else on stdout.")
    boolean json;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM bundle of the CAs a vault's certificate must chain to (default: the system trust store).")
    Path caFile;

    @Option(names = "--timeout-ms", defaultValue = "1000", paramLabel = "N", description = "TCP connect timeout: what a filtered port costs (default ${DEFAULT-VALUE}).")
    int timeoutMs;

    @Option(names = "--concurrency", defaultValue = "256", paramLabel = "N", description = "Connects in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--inside", description = "Also audit each host over SSH (one read-only command): listeners, containers, DNAT, compose files, OLLAMA_HOST, --listen.")
    boolean inside;

    @Mixin
    ConnectionOptions conn = new ConnectionOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (timeoutMs < 1 || concurrency < 1) throw MoatException.usage("--timeout-ms and --concurrency must be positive");
        List<Integer> aiPorts = parsePorts(ports);
        long start = System.nanoTime();
        Inventory inv = InventoryLoader.load(inventory);
        List<Host> hosts = HostPattern.select(inv, limit == null ? "all" : limit);
        if (hosts.isEmpty()) throw MoatException.usage("no hosts match " + (limit == null ? "the inventory" : "--limit " + limit));
        List<ScanTarget> targets = new ArrayList<>();
        Map<String, List<Finding>> notes = new LinkedHashMap<>();
        Templar templar = new Templar(inventory.toAbsolutePath().getParent(), new Secrets());
        for (Host h : hosts) {
            List<String> problems = new ArrayList<>();
            List<VaultService> vault = VaultService.fromVar(rendered(templar, inv, h.name(), "vault_services", problems), problems);
            Object address = rendered(templar, inv, h.name(), "ansible_host", problems);
            Object tls = rendered(templar, inv, h.name(), "tls", problems);
            targets.add(new ScanTarget(h.name(), String.valueOf(address == null ? h.name() : address), vault,
                    tls == null || Templar.truth(tls)));
            List<Finding> n = new ArrayList<>();
            for (String p : problems) n.add(Finding.of(h.name(), "vault_services", Verdict.INFO, p));
            notes.put(h.name(), n);
        }
        ScanSettings settings = new ScanSettings(aiPorts, Duration.ofMillis(timeoutMs), Duration.ofMillis(Math.max(2000, 2L * timeoutMs)),
                concurrency, caFile == null ? Trust.system() : Trust.fromPem(caFile));
        OutsideScan.Report outside = new OutsideScan(settings).run(targets);
        int code = outside.unresolved().isEmpty() ? ExitCode.OK : ExitCode.UNREACHABLE;
        Map<String, List<Finding>> insideFindings = new LinkedHashMap<>();
        if (inside) {
            Set<Integer> all = new LinkedHashSet<>(aiPorts);
            for (ScanTarget t : targets) for (VaultService v : t.vault()) if (v.port() > 0) all.add(v.port());
            code = ExitCode.worst(code, audit(inv, hosts, all, insideFindings));
        }
        List<Finding> rows = new ArrayList<>();
        for (Host h : hosts) {
            rows.addAll(notes.get(h.name()));
            for (Finding f : outside.findings()) if (f.host().equals(h.name())) rows.add(f);
            rows.addAll(insideFindings.getOrDefault(h.name(), List.of()));
        }
        if (rows.stream().anyMatch(f -> f.verdict().bad())) code = ExitCode.worst(code, ExitCode.DRIFT);
        long ms = (System.nanoTime() - start) / 1_000_000;
        PrintWriter out = spec.commandLine().getOut();
        if (json) printJson(out, rows, insideFindings, hosts.size(), code, ms);
        else printTable(out, rows, hosts.size(), code, ms);
        out.flush();
        return code;
    }

    /** Runs the audit script on every host, in parallel; returns the worst exit code of the SSH side. */
    private int audit(Inventory inv, List<Host> hosts, Set<Integer> aiPorts, Map<String, List<Finding>> into) throws Exception {
        List<String> names = hosts.stream().map(Host::name).toList();
        int code = ExitCode.OK;
        try (SshConnector ssh = new SshConnector(conn.settingsFor(inv, names, null))) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(names.size(), 50));
            try {
                Map<String, Future<List<Finding>>> jobs = new LinkedHashMap<>();
                Templar templar = new Templar(inventory.toAbsolutePath().getParent(), new Secrets());
                for (String h : names) {
                    List<String> search = composeSearch(rendered(templar, inv, h, "compose_search", new ArrayList<>()));
                    jobs.put(h, pool.submit(() -> auditHost(ssh, inv, h, aiPorts, search)));
                }
                for (Map.Entry<String, Future<List<Finding>>> e : jobs.entrySet()) {
                    List<Finding> f;
                    try {
                        f = e.getValue().get();
                    } catch (ExecutionException ex) {
                        f = List.of(Finding.of(e.getKey(), "inside", Verdict.FAIL, "audit failed: " + ex.getCause()));
                    }
                    for (Finding x : f) {
                        if (x.check().equals("ssh")) code = ExitCode.worst(code, ExitCode.UNREACHABLE);
                        else if (x.check().equals("inside")) code = ExitCode.worst(code, ExitCode.FAILED);
                    }
                    into.put(e.getKey(), f);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return code;
    }

    /** A host variable rendered as a playbook would see it (templates, lookups), or null; a template error goes to {@code problems}. */
    static Object rendered(Templar templar, Inventory inv, String host, String name, List<String> problems) {
        VarScope scope = VarScope.of(templar, inv.templateVars(host), null, Map.of());
        if (!scope.has(name)) return null;
        try {
            return scope.get(name);
        } catch (MoatException e) {
            problems.add(name + ": " + e.getMessage());
            return null;
        }
    }

    private static List<Finding> auditHost(SshConnector ssh, Inventory inv, String host, Set<Integer> aiPorts, List<String> search) {
        Map<String, Object> vars = inv.templateVars(host);
        try (Transport t = ssh.connect(Endpoints.of(host, vars))) {
            ExecResult r = t.exec(new Command(AuditScript.script(search), null, true, Duration.ofMinutes(2), false));
            AuditOutput parsed;
            try {
                parsed = AuditOutput.parse(r.out());
            } catch (IllegalArgumentException e) {
                String err = r.err().strip();
                return List.of(Finding.of(host, "inside", Verdict.FAIL, "the audit script failed (exit " + r.rc() + "): "
                        + (err.isEmpty() ? e.getMessage() : err.lines().findFirst().orElse(""))));
            }
            return InsideAudit.findings(host, parsed, aiPorts, search);
        } catch (UnreachableException e) {
            return List.of(Finding.of(host, "ssh", Verdict.FAIL, "unreachable: " + e.getMessage()));
        } catch (IOException e) {
            return List.of(Finding.of(host, "inside", Verdict.FAIL, "the audit did not finish: " + e.getMessage()));
        }
    }

    static List<String> composeSearch(Object v) {
        if (v instanceof List<?> l && !l.isEmpty()) return l.stream().map(String::valueOf).filter(s -> s.startsWith("/") && !s.contains("{{")).toList();
        if (v instanceof String s && s.startsWith("/")) return List.of(s);
        return DEFAULT_COMPOSE_SEARCH;
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

    private static void printTable(PrintWriter out, List<Finding> rows, int hosts, int code, long ms) {
        int hw = 4, cw = 5;
        List<Finding> shown = compress(rows);
        for (Finding f : shown) {
            hw = Math.max(hw, f.host().length());
            cw = Math.max(cw, Math.min(48, f.check().length()));
        }
        String fmt = "%-" + hw + "s  %-" + cw + "s  %-7s  %s%n";
        out.printf(fmt, "HOST", "CHECK", "VERDICT", "DETAIL");
        for (Finding f : shown) {
            out.printf(fmt, f.host(), f.check(), f.verdict(), f.detail());
            if (f.fix() != null && f.verdict() != Verdict.OK) out.printf("%-" + hw + "s  %-" + cw + "s  %-7s  fix: %s%n", "", "", "", f.fix());
        }
        long exposed = rows.stream().filter(f -> f.verdict() == Verdict.EXPOSED).count();
        long failed = rows.stream().filter(f -> f.verdict() == Verdict.FAIL).count();
        out.printf("%n%d host(s): %d EXPOSED, %d FAIL, %d OK in %d ms (exit %d)%n", hosts, exposed, failed,
                rows.stream().filter(f -> f.verdict() == Verdict.OK).count(), ms, code);
    }

    /** For people: a host's closed/filtered AI ports on one row instead of ten. */
    static List<Finding> compress(List<Finding> rows) {
        List<Finding> out = new ArrayList<>();
        Map<String, Map<String, List<String>>> okPorts = new LinkedHashMap<>();
        Map<String, Integer> at = new LinkedHashMap<>();
        for (Finding f : rows) {
            if (f.verdict() == Verdict.OK && f.check().startsWith("port ")) {
                if (!at.containsKey(f.host())) {
                    at.put(f.host(), out.size());
                    out.add(null);
                }
                okPorts.computeIfAbsent(f.host(), k -> new LinkedHashMap<>()).computeIfAbsent(f.detail(), k -> new ArrayList<>())
                        .add(f.check().substring(5));
            } else {
                out.add(f);
            }
        }
        for (Map.Entry<String, Integer> e : at.entrySet()) {
            List<String> parts = new ArrayList<>();
            List<String> all = new ArrayList<>();
            okPorts.get(e.getKey()).forEach((state, ps) -> {
                parts.add(state + ": " + String.join(",", ps));
                all.addAll(ps);
            });
            out.set(e.getValue(), Finding.of(e.getKey(), all.size() == 1 ? "port " + all.get(0) : "ports", Verdict.OK, String.join("; ", parts)));
        }
        return out;
    }

    private static void printJson(PrintWriter out, List<Finding> rows, Map<String, List<Finding>> inside, int hosts, int code, long ms) {
        Set<Finding> insideSet = new java.util.HashSet<>();
        inside.values().forEach(insideSet::addAll);
        for (Finding f : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "finding");
            m.put("side", insideSet.contains(f) ? "inside" : "outside");
            m.put("host", f.host());
            m.put("check", f.check());
            m.put("verdict", f.verdict().name());
            m.put("detail", f.detail());
            if (f.fix() != null) m.put("fix", f.fix());
            out.println(ResultJson.line(m));
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("event", "scan_end");
        end.put("hosts", hosts);
        end.put("exposed", rows.stream().filter(f -> f.verdict() == Verdict.EXPOSED).count());
        end.put("failed", rows.stream().filter(f -> f.verdict() == Verdict.FAIL).count());
        end.put("exit", code);
        end.put("ms", ms);
        out.println(ResultJson.line(end));
    }
}
