package dev.moat.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.moat.journal.Guard;
import dev.moat.journal.Journal;
import dev.moat.journal.Ledger;
import dev.moat.module.Module;
import dev.moat.modules.Modules;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;

/**
 * A playbook run on simulated hosts for engine tests: real playbook loading, modules and shell,
 * through {@link LocalTransport}s (one per host, kept for inspection); {@code TMP} in the
 * playbook is the test's directory. Collects every task result and the plays' starts.
 */
public final class LocalRun {
    final Path tmp;
    public final List<TaskResult> results = new ArrayList<>();
    final List<List<String>> plays = new ArrayList<>();
    final List<String> details = new ArrayList<>();
    /** Each write-ahead journal event: host, seq, and whether the snapshot was already on the "host" then. */
    final List<String> journaling = new ArrayList<>();
    final List<String> hostsDone = new ArrayList<>();
    /** Each host's ledger as the run handed it on (what the run record stores). */
    public final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();
    /** Every ledger of the run at its end, delegates' included (what the CLI's run record writes). */
    public final Map<String, Ledger> allLedgers = new ConcurrentHashMap<>();
    public final Map<String, LocalTransport> transports = new ConcurrentHashMap<>();
    /** The run's secrets, as the CLI's printers and recorder mask with them. */
    public Secrets secrets = new Secrets();
    /** More listeners (printers, the run recorder) that hear the run as the CLI's would. */
    public final List<RunListener> listeners = new ArrayList<>();
    RunOptions options = new RunOptions(false, true, 10, null, null, null, false);
    public Map<String, Object> hostVars = Map.of();
    /** Every connection the run opened: "HOST as USER" (USER null when none was named). */
    public final List<String> connects = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Login users whose authentication fails. */
    List<String> refusedLogins = List.of();
    /** Hosts whose connection fails, as if unreachable. */
    List<String> down = List.of();
    String runId;
    /** The remote lock the run takes on each host; none by default. */
    dev.moat.journal.RemoteLock lock;

    public LocalRun(Path tmp) {
        this.tmp = tmp;
    }

    /** Runs {@code playbookYaml}, each play on the hosts its {@code hosts:} names (a comma list, no patterns). */
    public int runAsWritten(String playbookYaml) throws Exception {
        Path pb = tmp.resolve("play.yml");
        Files.writeString(pb, playbookYaml.replace("TMP", tmp.toString()));
        return run(PlaybookLoader.load(pb, Catalog.of(Modules.builtin())), p -> List.of(p.hosts().split(",")), TaskGate.ALL);
    }

    public int run(String playbookYaml, String... hosts) throws Exception {
        Path pb = tmp.resolve("play.yml");
        Files.writeString(pb, playbookYaml.replace("TMP", tmp.toString()));
        return run(PlaybookLoader.load(pb, Catalog.of(Modules.builtin())), p -> List.of(hosts), TaskGate.ALL);
    }

    /** Runs an already loaded playbook: {@code hostsOf} gives each play's hosts, {@code gate} holds tasks back. */
    public int run(Playbook playbook, java.util.function.Function<dev.moat.playbook.Play, List<String>> hostsOf, TaskGate gate) {
        Map<String, Module<?>> modules = Modules.builtin();
        RunListener collect = new RunListener() {
            @Override public synchronized void taskResult(TaskResult r) { results.add(r); }
            @Override public synchronized void playStart(String play, List<String> h) { plays.add(List.copyOf(h)); }
            @Override public synchronized void detail(String host, String text) { details.add(text); }
            @Override public synchronized void journaling(String host, List<Ledger.Entry> entries) {
                for (Ledger.Entry e : entries) {
                    boolean taken = Files.exists(tmp.resolve("journal-" + host).resolve(runId).resolve(String.valueOf(e.seq())));
                    journaling.add(host + " " + e.seq() + (taken ? " already taken" : " ahead"));
                }
            }
            @Override public synchronized void hostDone(String host, HostRecap recap, Ledger ledger) {
                hostsDone.add(host + " " + (ledger == null ? 0 : ledger.entries().size()));
                if (ledger != null) ledgers.put(host, ledger);
            }
        };
        runId = "r-" + System.nanoTime();
        List<RunListener> all = new ArrayList<>(listeners);
        all.add(0, collect);
        RunSetup setup = new RunSetup(runId, options, modules, new Templar(tmp, secrets),
                (h, vars) -> {
                    if (down.contains(h)) throw new dev.moat.transport.UnreachableException(h + ": connection refused");
                    String user = vars.get("ansible_user") == null ? null : String.valueOf(vars.get("ansible_user"));
                    connects.add(h + " as " + user);
                    if (user != null && refusedLogins.contains(user)) throw new dev.moat.transport.UnreachableException("authentication as " + user + " on " + h + " failed");
                    // A host's first connection is transports[h]; one as another user (a task's remote_user) is transports[h@user].
                    LocalTransport first = transports.computeIfAbsent(h, k -> new LocalTransport(k, user));
                    if (java.util.Objects.equals(first.user, user)) return first;
                    return transports.computeIfAbsent(h + "@" + user, k -> new LocalTransport(h, user));
                }, RunListener.all(all), new Journal(tmp.resolve("journal-" + LocalTransport.HOST).toString()),
                new Guard(tmp.resolve("guard-" + LocalTransport.HOST).toString()), Duration.ofSeconds(30), lock, "test", gate);
        Runner runner = new Runner(setup);
        int exit = runner.run(playbook, hostsOf, h -> {
            Map<String, Object> vars = new LinkedHashMap<>(hostVars);
            vars.put("inventory_hostname", h);
            return vars;
        });
        allLedgers.putAll(runner.ledgers());
        return exit;
    }

    List<TaskResult> of(String host) {
        return results.stream().filter(r -> r.host().equals(host)).toList();
    }

    TaskResult task(String host, String name) {
        return of(host).stream().filter(r -> r.task().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + host + " " + name + " in " + results));
    }

    void reset() {
        results.clear();
        plays.clear();
        details.clear();
        journaling.clear();
        hostsDone.clear();
        ledgers.clear();
        transports.clear();
        connects.clear();
    }
}
