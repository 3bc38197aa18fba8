package dev.moat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import picocli.CommandLine;

import dev.moat.ExitCode;
import dev.moat.MoatException;
import dev.moat.engine.Catalog;
import dev.moat.engine.CheckMode;
import dev.moat.engine.RunListener;
import dev.moat.engine.RunOptions;
import dev.moat.engine.RunSetup;
import dev.moat.engine.TaskGate;
import dev.moat.engine.Runner;
import dev.moat.inventory.Host;
import dev.moat.inventory.HostPattern;
import dev.moat.inventory.Inventory;
import dev.moat.config.AnsibleConfig;
import dev.moat.config.ConfigKey;
import dev.moat.config.Setting;
import dev.moat.journal.Guard;
import dev.moat.journal.Journal;
import dev.moat.module.Module;
import dev.moat.modules.Modules;
import dev.moat.playbook.ExtraVars;
import dev.moat.playbook.Play;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.playbook.RolesPath;
import dev.moat.runs.MoatHome;
import dev.moat.runs.ResultJson;
import dev.moat.runs.RunRecorder;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;
import dev.moat.transport.ssh.SshConnector;
import dev.moat.transport.ssh.SshSettings;
import dev.moat.yaml.LoadWarning;
import dev.moat.vault.Vault;

/**
 * apply and check: validate everything before touching a host (inventory, playbook, patterns,
 * extra vars), then run the playbook over SSH with the chosen printers and record the run.
 */
final class PlaybookRun {
    /** Where --step and vars_prompt ask; tests put a fake here. */
    static java.util.function.Supplier<Terminal> terminal = Terminal::system;

    private final PlaybookOptions o;
    private final boolean check;
    private final boolean diff;
    private final String command;
    private final CommandLine.Model.CommandSpec spec;

    PlaybookRun(PlaybookOptions o, boolean check, boolean diff, String command, CommandLine.Model.CommandSpec spec) {
        this.o = o;
        this.check = check;
        this.diff = diff;
        this.command = command;
        this.spec = spec;
    }

    int execute() {
        dev.moat.StartupTrace.mark("playbook run starts");
        PrintWriter out = spec.commandLine().getOut();
        AnsibleConfig cfg = config(spec.commandLine().getErr());
        o.conn.config = cfg;
        o.conn.installVault();
        dev.moat.StartupTrace.mark("ansible.cfg read");
        Map<String, Object> extra = ExtraVars.parse(o.extraVars);
        Inventory inv = o.inventory.load(cfg);
        dev.moat.StartupTrace.mark("inventory loaded");
        Map<String, Module<?>> modules = Modules.builtin();
        dev.moat.StartupTrace.mark("modules registered");
        Playbook loaded = PlaybookLoader.load(o.playbook, Catalog.of(modules), new RolesPath(cfg.rolesPath(), cfg.collectionsPath()));
        warn(loaded.warnings(), out);
        dev.moat.StartupTrace.mark("playbook loaded");
        Secrets secrets = new Secrets();
        Vault.current().onReveal(secrets::add);
        Templar templar = new Templar(loaded.dir(), secrets);
        boolean onlyLooking = o.listHosts || o.listTasks || o.listTags || o.syntaxCheck;
        Playbook playbook = new PlayInputs(extra, templar, onlyLooking ? null : terminal.get(), !onlyLooking).settle(loaded);
        dev.moat.StartupTrace.mark("vars_prompt and extra vars settled");
        Map<Play, List<String>> hosts = new LinkedHashMap<>();
        java.util.Set<String> unmatched = new java.util.LinkedHashSet<>();
        for (Play p : playbook.plays()) {
            List<String> names = new ArrayList<>();
            for (Host h : HostPattern.selectForPlay(inv, p.hosts(), o.limit, unmatched::add)) names.add(h.name());
            hosts.put(p, names);
        }
        for (String u : unmatched) spec.commandLine().getErr().println("[WARNING]: Could not match supplied host pattern, ignoring: " + u);
        spec.commandLine().getErr().flush();
        PlaybookListing.What listing = new PlaybookListing.What(o.listHosts, o.listTasks, o.listTags);
        if (listing.any()) {
            out.print(PlaybookListing.render(o.playbook, hosts, listing, runOptions(cfg, extra)));
            out.flush();
            return ExitCode.OK;
        }
        // A bad connection variable (ansible_port: abc) is the inventory's error, before any host is touched.
        for (Map.Entry<Play, List<String>> e : hosts.entrySet()) {
            if (!e.getValue().isEmpty()) SshPasswords.refuse(e.getKey(), extra);
            for (String h : e.getValue()) {
                SshPasswords.refuse(inv, h);
                Endpoints.of(h, withExtra(o.conn.withDefaults(inv.templateVars(h)), extra));
            }
        }
        if (o.syntaxCheck) {
            int tasks = 0;
            for (Play p : playbook.plays()) tasks += p.allTasks().size() + p.handlers().size();
            out.println("syntax ok: " + o.playbook + " (" + playbook.plays().size() + " play(s), " + tasks + " task(s)"
                    + (playbook.warnings().isEmpty() ? "" : ", " + playbook.warnings().size() + " warning(s)")
                    + "); " + inv.describe() + " (" + inv.hosts().size() + " host(s))");
            out.flush();
            return ExitCode.OK;
        }
        TaskGate gate = gate(playbook, hosts);
        dev.moat.StartupTrace.mark("hosts selected, endpoints checked");
        if (hosts.values().stream().allMatch(List::isEmpty)) {
            spec.commandLine().getErr().println("moat: no host matched the plays' patterns" + (o.limit == null ? "" : " and --limit " + o.limit));
            return ExitCode.OK;
        }

        UnaryOperator<String> mask = secrets::mask;
        int verbosity = o.verbose.length;
        boolean chatty = verbosity >= 2 && !o.json;
        java.util.Set<String> allHosts = new java.util.LinkedHashSet<>();
        hosts.values().forEach(allHosts::addAll);
        SshConnector ssh = null;
        EarlyConnections early = EarlyConnections.NONE;
        try {
            if (!chatty) {
                // The first hosts' connections open now, while the rest of the run is built (issue 15).
                // With -vv the connector reports to the printer, which comes first; then nothing opens early.
                SshConnector connector = ssh = new SshConnector(o.conn.settingsFor(inv, allHosts, null, mask));
                early = EarlyConnections.start(earlyEndpoints(playbook, hosts, inv, extra, forks(cfg)), connector::connect);
                dev.moat.StartupTrace.mark("SSH settings, first connections started");
            }
            List<RunListener> listeners = new ArrayList<>();
            String runId = RunRecorder.newId();
            RunRecorder recorder = new RunRecorder(MoatHome.runs(), command, mask);
            if (o.json) listeners.add(new JsonPrinter(out, mask));
            else listeners.add(new HumanPrinter(out, System.console() != null && System.getenv("TERM") != null
                    && !"dumb".equals(System.getenv("TERM")), diff, verbosity, mask));
            listeners.add(recorder);
            RunListener listener = RunListener.all(listeners);
            if (ssh == null) ssh = new SshConnector(o.conn.settingsFor(inv, allHosts, listener, mask));
            dev.moat.StartupTrace.mark("SSH settings");
            SshConnector connector = ssh;
            EarlyConnections opened = early;
            RunSetup setup = new RunSetup(runId, runOptions(cfg, extra), modules, templar,
                    (host, vars) -> {
                        dev.moat.transport.Endpoint e = Endpoints.of(host, withExtra(vars, extra));
                        char[] becomePassword = Endpoints.becomePassword(host, vars, extra, templar);
                        dev.moat.transport.Transport t = becomePassword == null ? opened.take(host, e) : null;
                        return t != null ? t : connector.connect(e, becomePassword);
                    }, listener,
                    new Journal(Journal.DEFAULT_DIR), new Guard(dev.moat.journal.StateDir.GUARDS), Duration.ofSeconds(o.guardTimeout),
                    check && !CheckMode.changesHosts(playbook) ? null : new dev.moat.journal.RemoteLock(dev.moat.journal.StateDir.ROOT),
                    dev.moat.journal.RemoteLock.who("moat " + command + " " + o.playbook), gate);
            Runner runner = new Runner(setup);
            dev.moat.StartupTrace.mark("SSH connector and runner built");
            Interrupts interrupts = Interrupts.install(runner);
            int exit;
            try {
                exit = runner.run(playbook, hosts::get, h -> {
                    Map<String, Object> vars = o.conn.withDefaults(inv.templateVars(h), true);
                    vars.put("ansible_check_mode", check);
                    if (o.limit != null) vars.put("ansible_limit", o.limit);
                    vars.put("moat_run_id", runId);
                    return vars;
                });
            } finally {
                interrupts.remove();
            }
            if (interrupts.fired()) recorder.interrupted(ExitCode.INTERRUPTED);
            recorder.write(runner.ledgers());
            return interrupts.fired() ? ExitCode.INTERRUPTED : exit;
        } catch (IOException e) {
            throw new MoatException(ExitCode.USAGE, "cannot set up SSH: " + e.getMessage());
        } finally {
            early.close();
            if (ssh != null) ssh.close();
        }
    }

    /**
     * The hosts the run connects to first, and how: the first play that has hosts, its first batch
     * ({@code serial}) up to {@code forks}, each host's endpoint as the runner will compute it (host
     * and config variables, the play's {@code remote_user}, the extra variables). None when that play
     * runs on the controller; a host whose sudo password comes from its variables, or whose endpoint
     * does not render, is left to the runner, which reports it as it always did.
     */
    private Map<String, dev.moat.transport.Endpoint> earlyEndpoints(Playbook playbook, Map<Play, List<String>> hosts, Inventory inv,
                                                                    Map<String, Object> extra, int forks) {
        Map<String, dev.moat.transport.Endpoint> out = new LinkedHashMap<>();
        for (Play p : playbook.plays()) {
            List<String> names = hosts.get(p);
            if (names == null || names.isEmpty()) continue;
            if (p.onController()) return out;
            List<Integer> batches = p.batches(names.size());
            int first = batches.isEmpty() ? names.size() : batches.get(0);
            for (String h : names.subList(0, Math.min(names.size(), Math.min(first, Math.max(1, forks))))) {
                Map<String, Object> vars = withExtra(Runner.connectionVars(o.conn.withDefaults(inv.templateVars(h), true), p.remoteUser()), extra);
                if (vars.get("ansible_become_password") != null || vars.get("ansible_become_pass") != null) continue;
                try {
                    out.put(h, Endpoints.of(h, vars));
                } catch (RuntimeException e) {
                    // the runner meets it again and reports it
                }
            }
            return out;
        }
        return out;
    }

    /**
     * What {@code --start-at-task} and {@code --step} hold back, refused before any host is touched
     * when the task named matches none or no terminal can be asked; the plays before the task
     * started at get no hosts.
     */
    private TaskGate gate(Playbook playbook, Map<Play, List<String>> hosts) {
        TaskGate gate = TaskGate.ALL;
        if (o.startAtTask != null) {
            StartAt start = StartAt.find(playbook, o.startAtTask);
            for (int i = 0; i < playbook.plays().size(); i++) {
                if (!start.runs(i)) hosts.put(playbook.plays().get(i), List.of());
            }
            gate = start;
        }
        if (o.step) {
            Terminal t = terminal.get();
            if (t == null) throw MoatException.usage("--step asks before each task and needs a terminal; moat's input is not one"
                    + " (run it from a shell, or select tasks with --tags or --start-at-task instead)");
            Step step = new Step(t);
            TaskGate before = gate;
            gate = item -> before.admits(item) && step.admits(item);
        }
        return gate;
    }

    /** A host's variables with the extra variables over them, as Ansible's connection sees them ({@code -e ansible_user=x}). */
    private static Map<String, Object> withExtra(Map<String, Object> vars, Map<String, Object> extra) {
        Map<String, Object> out = new LinkedHashMap<>(vars);
        out.putAll(extra);
        return out;
    }

    /** Load warnings, once, before anything runs: on stderr, or as {@code warning} events with {@code --json}. */
    private void warn(List<LoadWarning> warnings, PrintWriter out) {
        PrintWriter err = spec.commandLine().getErr();
        for (LoadWarning w : warnings) {
            if (o.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("event", "warning");
                m.put("where", String.valueOf(w.mark()));
                m.put("message", w.message());
                out.println(ResultJson.line(m));
            } else {
                err.println("warning: " + w);
            }
        }
        out.flush();
        err.flush();
    }

    /** ansible.cfg with this command line's -u, -b and --become-user on top (Ansible's precedence: CLI, env, cfg, default). */
    private AnsibleConfig config(java.io.PrintWriter err) {
        return withFlags(Cfg.load(err), o);
    }

    static AnsibleConfig withFlags(AnsibleConfig cfg, PlaybookOptions o) {
        if (o.user != null) cfg = cfg.override(ConfigKey.DEFAULT_REMOTE_USER, o.user, "--user");
        if (o.become) cfg = cfg.override(ConfigKey.DEFAULT_BECOME, true, "--become");
        if (o.becomeUser != null) cfg = cfg.override(ConfigKey.DEFAULT_BECOME_USER, o.becomeUser, "--become-user");
        return cfg;
    }

    private RunOptions runOptions(AnsibleConfig cfg, Map<String, Object> extra) {
        return new RunOptions(check, diff, forks(cfg), new HashSet<>(o.tags), new HashSet<>(o.skipTags), extra, o.noRollback);
    }

    private int forks(AnsibleConfig cfg) {
        if (o.forks != null) return o.forks;
        Setting s = cfg.setting(ConfigKey.DEFAULT_FORKS);
        if (cfg.forks() < 1) throw MoatException.invalid(s.place() + ": forks must be at least 1, not " + s.value());
        return cfg.forks();
    }
}
