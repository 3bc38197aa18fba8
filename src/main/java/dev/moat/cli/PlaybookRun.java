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
import dev.moat.engine.Runner;
import dev.moat.inventory.Host;
import dev.moat.inventory.HostPattern;
import dev.moat.inventory.Inventory;
import dev.moat.inventory.InventoryLoader;
import dev.moat.journal.Guard;
import dev.moat.journal.Journal;
import dev.moat.module.Module;
import dev.moat.modules.Modules;
import dev.moat.playbook.ExtraVars;
import dev.moat.playbook.Play;
import dev.moat.playbook.Playbook;
import dev.moat.playbook.PlaybookLoader;
import dev.moat.runs.MoatHome;
import dev.moat.runs.RunRecorder;
import dev.moat.template.Secrets;
import dev.moat.template.Templar;
import dev.moat.transport.ssh.SshConnector;
import dev.moat.transport.ssh.SshSettings;

/**
 * apply and check: validate everything before touching a host (inventory, playbook, patterns,
 * extra vars), then run the playbook over SSH with the chosen printers and record the run.
 */
final class PlaybookRun {
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
        Templar.warmUp();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> extra = ExtraVars.parse(o.extraVars);
        Inventory inv = InventoryLoader.load(o.inventory);
        Map<String, Module<?>> modules = Modules.builtin();
        Playbook playbook = PlaybookLoader.load(o.playbook, Catalog.of(modules));
        Map<Play, List<String>> hosts = new LinkedHashMap<>();
        for (Play p : playbook.plays()) {
            List<String> names = new ArrayList<>();
            for (Host h : HostPattern.select(inv, p.hosts(), o.limit)) names.add(h.name());
            hosts.put(p, names);
        }
        // A bad connection variable (ansible_port: abc) is the inventory's error, before any host is touched.
        for (List<String> names : hosts.values()) {
            for (String h : names) {
                Map<String, Object> vars = new LinkedHashMap<>(inv.templateVars(h));
                vars.putAll(extra);
                Endpoints.of(h, vars);
            }
        }
        if (o.syntaxCheck) {
            int tasks = 0;
            for (Play p : playbook.plays()) tasks += p.allTasks().size() + p.handlers().size();
            for (String w : playbook.warnings()) spec.commandLine().getErr().println("moat: warning: " + w);
            out.println("syntax ok: " + o.playbook + " (" + playbook.plays().size() + " play(s), " + tasks + " task(s)"
                    + (playbook.warnings().isEmpty() ? "" : ", " + playbook.warnings().size() + " naming a module moat does not have")
                    + "); " + o.inventory + " (" + inv.hosts().size() + " host(s))");
            out.flush();
            return ExitCode.OK;
        }
        if (hosts.values().stream().allMatch(List::isEmpty)) {
            spec.commandLine().getErr().println("moat: no host matched the plays' patterns" + (o.limit == null ? "" : " and --limit " + o.limit));
            return ExitCode.OK;
        }

        Secrets secrets = new Secrets();
        Templar templar = new Templar(playbook.dir(), secrets);
        UnaryOperator<String> mask = secrets::mask;
        int verbosity = o.verbose.length;
        List<RunListener> listeners = new ArrayList<>();
        String runId = RunRecorder.newId();
        RunRecorder recorder = new RunRecorder(MoatHome.runs(), command, mask);
        if (o.json) listeners.add(new JsonPrinter(out, mask));
        else listeners.add(new HumanPrinter(out, System.console() != null && System.getenv("TERM") != null
                && !"dumb".equals(System.getenv("TERM")), diff, verbosity, mask));
        listeners.add(recorder);
        RunListener listener = RunListener.all(listeners);

        java.util.Set<String> allHosts = new java.util.LinkedHashSet<>();
        hosts.values().forEach(allHosts::addAll);
        SshSettings settings = o.conn.settingsFor(inv, allHosts, verbosity >= 2 && !o.json ? listener : null, mask);
        try (SshConnector ssh = new SshConnector(settings)) {
            RunSetup setup = new RunSetup(runId, new RunOptions(check, diff, o.forks, new HashSet<>(o.tags),
                    new HashSet<>(o.skipTags), extra, o.noRollback), modules, templar,
                    (host, vars) -> ssh.connect(Endpoints.of(host, vars)), listener,
                    new Journal(Journal.DEFAULT_DIR), new Guard(dev.moat.journal.StateDir.GUARDS), Duration.ofSeconds(o.guardTimeout),
                    check && !CheckMode.changesHosts(playbook) ? null : new dev.moat.journal.RemoteLock(dev.moat.journal.StateDir.ROOT),
                    dev.moat.journal.RemoteLock.who("moat " + command + " " + o.playbook));
            Runner runner = new Runner(setup);
            Interrupts interrupts = Interrupts.install(runner);
            int exit;
            try {
                exit = runner.run(playbook, hosts::get, h -> {
                    Map<String, Object> vars = new LinkedHashMap<>(inv.templateVars(h));
                    vars.put("ansible_check_mode", check);
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
        }
    }
}
