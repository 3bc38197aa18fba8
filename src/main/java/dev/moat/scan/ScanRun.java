package dev.moat.scan;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import dev.moat.compose.ComposeSearch;
import dev.moat.engine.Connector;
import dev.moat.inventory.Host;
import dev.moat.inventory.HostPattern;
import dev.moat.inventory.Inventory;
import dev.moat.inventory.InventorySources;
import dev.moat.playbook.VarScope;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;
import dev.moat.transport.Command;
import dev.moat.transport.ExecResult;
import dev.moat.transport.Transport;
import dev.moat.transport.UnreachableException;

/**
 * {@code moat scan} without its rendering: a {@link ScanTarget} per inventory host (its
 * {@code vault_services}, {@code ansible_host} and {@code tls} rendered as a playbook would see
 * them), the {@link OutsideScan} of them all, and with {@code inside} the {@link AuditScript} run on
 * every host over SSH in parallel (compose files searched where the host's {@code compose_search}
 * says). Decides the exit code: 2 when anything is EXPOSED or FAILs, 3 when a host could not be
 * resolved or reached, 1 when an audit failed. The findings are data; {@code cli} renders them.
 */
public final class ScanRun {
    /**
     * What to scan: the inventory and an optional host pattern, the AI ports, the CA bundle a
     * vault's certificate must chain to (null: the system's), the TCP connect timeout, how many
     * connects may be in flight, and whether to audit inside over SSH.
     */
    public record Request(List<String> inventory, String limit, List<Integer> ports, Path caFile, Duration connectTimeout, int concurrency,
                          boolean inside) {
        public Request {
            inventory = List.copyOf(inventory);
            ports = List.copyOf(ports);
        }

        /** One inventory source. */
        public Request(Path inventory, String limit, List<Integer> ports, Path caFile, Duration connectTimeout, int concurrency,
                       boolean inside) {
            this(List.of(inventory.toString()), limit, ports, caFile, connectTimeout, concurrency, inside);
        }
    }

    /** Opens the SSH connections of the inside audit to these hosts; the session is closed when the audit ends. */
    @FunctionalInterface
    public interface Ssh {
        Session open(Inventory inventory, List<String> hosts) throws IOException;
    }

    /** Connects to each host of an inside audit. */
    public interface Session extends Connector, AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /**
     * What the scan found, host by host in inventory order (notes on the host's variables, then the
     * outside findings, then the inside ones), which of them came from inside, the number of hosts,
     * the exit code and how long it took.
     */
    public record Report(List<Finding> findings, Set<Finding> insideFindings, int hosts, int exit, long ms) {
        public Report {
            findings = List.copyOf(findings);
            insideFindings = Set.copyOf(insideFindings);
        }

        /** "inside" when the audit over SSH found it, else "outside". */
        public String side(Finding f) {
            return insideFindings.contains(f) ? "inside" : "outside";
        }
    }

    private final Request request;
    private final Ssh ssh;

    public ScanRun(Request request, Ssh ssh) {
        this.request = request;
        this.ssh = ssh;
    }

    public Report run() throws Exception {
        long start = System.nanoTime();
        Inventory inv = InventorySources.load(request.inventory(), Path.of("").toAbsolutePath(), "-i");
        String limit = request.limit();
        List<Host> hosts = HostPattern.select(inv, limit == null ? "all" : limit);
        if (hosts.isEmpty()) throw MoatException.usage("no hosts match " + (limit == null ? "the inventory" : "--limit " + limit));
        Path base = java.nio.file.Files.isDirectory(inv.source()) ? inv.source().toAbsolutePath() : inv.source().toAbsolutePath().getParent();
        Templar templar = new Templar(base == null ? Path.of("").toAbsolutePath() : base, new Secrets());
        List<ScanTarget> targets = new ArrayList<>();
        Map<String, List<Finding>> notes = new LinkedHashMap<>();
        for (Host h : hosts) {
            List<String> problems = new ArrayList<>();
            List<VaultService> vault = VaultService.fromVar(rendered(templar, inv, h.name(), "vault_services", problems), problems);
            Object address = rendered(templar, inv, h.name(), "ansible_host", problems);
            Object tls = rendered(templar, inv, h.name(), "tls", problems);
            targets.add(new ScanTarget(h.name(), String.valueOf(address == null ? h.name() : address), vault, tls == null || Templar.truth(tls)));
            List<Finding> n = new ArrayList<>();
            for (String p : problems) n.add(Finding.of(h.name(), "vault_services", Verdict.INFO, p));
            notes.put(h.name(), n);
        }
        Duration timeout = request.connectTimeout();
        ScanSettings settings = new ScanSettings(request.ports(), timeout, Duration.ofMillis(Math.max(2000, 2L * timeout.toMillis())),
                request.concurrency(), request.caFile() == null ? Trust.system() : Trust.fromPem(request.caFile()));
        // The audit runs first: it reads each host's global IPv6 addresses, which the outside scan then probes too.
        int code = ExitCode.OK;
        Map<String, List<Finding>> inside = new LinkedHashMap<>();
        if (request.inside()) {
            Set<Integer> aiPorts = new LinkedHashSet<>(request.ports());
            for (ScanTarget t : targets) for (VaultService v : t.vault()) if (v.port() > 0) aiPorts.add(v.port());
            Map<String, List<String>> ipv6 = new LinkedHashMap<>();
            code = audit(inv, hosts, templar, aiPorts, inside, ipv6);
            targets.replaceAll(t -> t.alsoAt(ipv6.getOrDefault(t.host(), List.of())));
        }
        OutsideScan.Report outside = new OutsideScan(settings).run(targets);
        if (!outside.unresolved().isEmpty()) code = ExitCode.worst(code, ExitCode.UNREACHABLE);
        List<Finding> rows = new ArrayList<>();
        Set<Finding> insideRows = new HashSet<>();
        for (Host h : hosts) {
            rows.addAll(notes.get(h.name()));
            for (Finding f : outside.findings()) if (f.host().equals(h.name())) rows.add(f);
            List<Finding> in = inside.getOrDefault(h.name(), List.of());
            rows.addAll(in);
            insideRows.addAll(in);
        }
        if (rows.stream().anyMatch(f -> f.verdict().bad())) code = ExitCode.worst(code, ExitCode.DRIFT);
        return new Report(rows, insideRows, hosts.size(), code, (System.nanoTime() - start) / 1_000_000);
    }

    /** What the audit of one host found, and the host's global IPv6 addresses it read. */
    private record Audited(List<Finding> findings, List<String> ipv6) {}

    /**
     * Runs the audit script on every host, in parallel, putting each host's findings {@code into}
     * and its global IPv6 addresses into {@code ipv6}; returns the worst exit code of the SSH side.
     */
    private int audit(Inventory inv, List<Host> hosts, Templar templar, Set<Integer> aiPorts, Map<String, List<Finding>> into,
                      Map<String, List<String>> ipv6) throws Exception {
        List<String> names = hosts.stream().map(Host::name).toList();
        int code = ExitCode.OK;
        try (Session session = ssh.open(inv, names)) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(names.size(), 50));
            try {
                Map<String, Future<Audited>> jobs = new LinkedHashMap<>();
                for (String h : names) {
                    ComposeSearch search = composeSearch(rendered(templar, inv, h, "compose_search", new ArrayList<>()));
                    jobs.put(h, pool.submit(() -> auditHost(session, inv, h, aiPorts, search)));
                }
                for (Map.Entry<String, Future<Audited>> e : jobs.entrySet()) {
                    List<Finding> f;
                    try {
                        Audited a = e.getValue().get();
                        f = a.findings();
                        ipv6.put(e.getKey(), a.ipv6());
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

    private static Audited auditHost(Connector ssh, Inventory inv, String host, Set<Integer> aiPorts, ComposeSearch search) {
        try (Transport t = ssh.connect(host, inv.templateVars(host))) {
            ExecResult r = t.exec(new Command(AuditScript.script(search), null, true, Duration.ofMinutes(2), false));
            AuditOutput parsed;
            try {
                parsed = AuditOutput.parse(r.out());
            } catch (IllegalArgumentException e) {
                String err = r.err().strip();
                return new Audited(List.of(Finding.of(host, "inside", Verdict.FAIL, "the audit script failed (exit " + r.rc() + "): "
                        + (err.isEmpty() ? e.getMessage() : err.lines().findFirst().orElse("")))), List.of());
            }
            return new Audited(InsideAudit.findings(host, parsed, aiPorts), parsed.globalIpv6());
        } catch (UnreachableException e) {
            return new Audited(List.of(Finding.of(host, "ssh", Verdict.FAIL, "unreachable: " + e.getMessage())), List.of());
        } catch (IOException e) {
            return new Audited(List.of(Finding.of(host, "inside", Verdict.FAIL, "the audit did not finish: " + e.getMessage())), List.of());
        }
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

    /** The host's {@code compose_search} (absolute directories, unrendered templates dropped), else the default directories. */
    static ComposeSearch composeSearch(Object v) {
        List<String> dirs = ComposeSearch.DEFAULT_DIRS;
        if (v instanceof List<?> l && !l.isEmpty()) dirs = l.stream().map(String::valueOf).filter(s -> s.startsWith("/") && !s.contains("{{")).toList();
        else if (v instanceof String s && s.startsWith("/")) dirs = List.of(s);
        return new ComposeSearch(dirs, ComposeSearch.DEFAULT_DEPTH);
    }
}
