package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

import dev.moat.compose.BindArgs;
import dev.moat.compose.ComposeDecision;
import dev.moat.compose.ComposeFiles;
import dev.moat.compose.ComposeFilesFact;
import dev.moat.compose.ComposePlanner;
import dev.moat.compose.ComposeSearch;
import dev.moat.compose.ComposeTool;
import dev.moat.compose.ComposeToolFact;
import dev.moat.compose.Container;
import dev.moat.compose.ContainersFact;
import dev.moat.compose.FileRewrite;
import dev.moat.compose.PortChange;
import dev.moat.compose.PortFilter;
import dev.moat.compose.Recreate;
import dev.moat.compose.Scripts;
import dev.moat.compose.Unfixed;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

/**
 * Rebinds every Docker Compose published port that is reachable from outside to loopback, so
 * Docker's own iptables rules (which bypass UFW) no longer expose GPU inference servers, then
 * recreates the affected services and verifies on the running containers.
 *
 * <p>It finds compose files ({@code paths}, {@code files} and/or under {@code search} directories),
 * rewrites each port entry not on loopback to {@code BIND:host:container} by editing only that
 * entry's text (comments, anchors, quoting, order, line endings stay byte for byte; see
 * {@link dev.moat.compose.Rewriter} for every syntax), writes the file atomically keeping its mode
 * and owner, recreates only the affected services ({@code up -d --no-deps --force-recreate}) with
 * the v2 plugin or v1 {@code docker-compose}, with the project name, directory and file list the
 * containers were created with, and fails unless {@code docker inspect} then shows every in-scope
 * published port on loopback. Services with no container get their file fixed and are not
 * started. Containers started with {@code docker run -p} cannot be fixed here: the result names
 * them ({@code outside_compose}). With no {@code paths}, {@code files} or {@code search} it searches
 * {@code /opt}, {@code /srv}, {@code /home} and {@code /root}, {@code depth} levels down (default 4),
 * for the files {@link ComposeSearch} names ({@code compose*.yml}, {@code docker-compose*.yaml}, ...);
 * a search also reads the files the host's containers were created from (their Compose labels),
 * wherever they are and whatever their name. {@code moat scan --inside} searches the same way.
 *
 * <p>A running compose container that publishes an in-scope port outside loopback and none of whose
 * files could be read fails the task, in apply and in check mode, naming the container, the port
 * and the file: a hardening task must not succeed while a port stays exposed. Stopped ones are
 * only reported ({@code unfixed}).
 *
 * <p>Undo: each rewritten file is restored byte for byte and its services recreated; the undo list
 * puts the {@code RecreateCompose} records before the {@code RestorePath} ones so a rollback that
 * replays undos in reverse order restores the files first. Recreating containers whose file was
 * already right (drift) is marked irreversible: the exposed state is not put back.
 *
 * <pre>
 * - compose_ports:
 *     search: [/opt, /srv, /home]
 *     depth: 4                             # levels under each search dir (default 4)
 *     files: [/opt/vllm/compose.gpu.yml]   # extra -f files
 *     bind: 127.0.0.1
 *     ports: [8000, 11434, 8188]           # default: every published port
 *     compose: auto                        # or v1 / v2
 * </pre>
 */
public final class ComposePorts implements Module<ComposePorts.ComposeArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("paths", ArgType.LIST).withAliases("path"),
            ArgSpec.optional("search", ArgType.LIST),
            ArgSpec.optional("files", ArgType.LIST),
            ArgSpec.optional("bind", ArgType.STRING, "127.0.0.1"),
            ArgSpec.optional("ports", ArgType.LIST),
            ArgSpec.choice("compose", "auto", "auto", "v1", "v2"),
            ArgSpec.optional("recreate", ArgType.BOOL, true),
            ArgSpec.optional("depth", ArgType.INT, ComposeSearch.DEFAULT_DEPTH));

    /** Validated arguments: absolute paths, a specific bind address (no brackets), a port filter. */
    public record ComposeArgs(List<String> paths, List<String> search, List<String> files, String bind, PortFilter ports,
                              String compose, boolean recreate, int depth) {
        public ComposeArgs {
            paths = List.copyOf(paths);
            search = List.copyOf(search);
            files = List.copyOf(files);
        }

        ComposeFilesFact filesFact() {
            List<String> given = new ArrayList<>(paths);
            for (String f : files) if (!given.contains(f)) given.add(f);
            return new ComposeFilesFact(given, search, depth);
        }
    }

    @Override
    public String name() {
        return "compose_ports";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public ComposeArgs bind(Args a) throws ArgException {
        List<String> paths = absolute(a, "paths");
        List<String> search = absolute(a, "search");
        List<String> files = absolute(a, "files");
        if (paths.isEmpty() && search.isEmpty() && files.isEmpty()) search = ComposeSearch.DEFAULT_DIRS;
        String bind = BindArgs.bind(a);
        PortFilter filter = BindArgs.ports(a);
        int depth = a.integer("depth") == null ? ComposeSearch.DEFAULT_DEPTH : a.integer("depth");
        if (depth < 1 || depth > 20) throw new ArgException("depth", "depth must be between 1 and 20");
        return new ComposeArgs(paths, search, files, bind, filter, a.str("compose", "auto"), a.bool("recreate"), depth);
    }

    private static List<String> absolute(Args a, String name) throws ArgException {
        List<String> out = new ArrayList<>();
        for (String p : a.strings(name)) {
            String t = p.trim();
            if (!t.startsWith("/")) throw new ArgException(name, name + ": '" + t + "' is not an absolute path");
            if (t.indexOf('\n') >= 0 || t.indexOf('\t') >= 0) throw new ArgException(name, name + ": a path with a tab or newline");
            if (t.length() > 1 && t.endsWith("/")) t = t.substring(0, t.length() - 1);
            out.add(t);
        }
        return out;
    }

    @Override
    public List<Fact<?>> reads(ComposeArgs args) {
        return List.of(args.filesFact(), new ContainersFact(), new ComposeToolFact());
    }

    @Override
    public Plan plan(ComposeArgs args, Facts facts, PlanContext ctx) throws TaskException {
        ComposeFiles found = facts.get(args.filesFact());
        List<Container> containers = facts.get(new ContainersFact());
        ComposeTool.Choice tool = facts.get(new ComposeToolFact()).choose(args.compose());
        ComposeDecision d = new ComposePlanner(args.bind(), args.ports(), tool.flavour()).decide(found, containers);
        return plan(args, d, tool, containers);
    }

    /** Turns a decision into steps, diffs, undo and the registered result. */
    static Plan plan(ComposeArgs args, ComposeDecision d, ComposeTool.Choice tool, List<Container> containers) throws TaskException {
        List<String> stillExposed = new ArrayList<>();
        for (Unfixed u : d.unfixed()) if (u.running()) stillExposed.add(u.failure());
        if (!stillExposed.isEmpty()) throw new TaskException("compose_ports: " + String.join("; ", stillExposed));
        Plan.Builder b = Plan.builder();
        List<Undo> recreateUndo = new ArrayList<>();
        List<Undo> restoreUndo = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (FileRewrite r : d.rewrites()) {
            files.add(r.path());
            b.diff(Diff.file(r.path(), r.before(), r.after()));
            b.step(Step.write("rewrite published ports in " + r.path(), Scripts.write(r.path(), r.before()), r.after()));
            b.touches("file:" + r.path());
            restoreUndo.add(new Undo.RestorePath(r.path()));
            b.writes(r.path());
            for (PortChange c : r.changes()) changes.add(r.path() + ":" + c);
        }
        List<String> recreated = new ArrayList<>();
        List<String> notStarted = new ArrayList<>(d.notRunning());
        if (args.recreate()) {
            for (Recreate g : d.recreates()) {
                if (tool.command() == null) {
                    throw new TaskException("compose_ports: services " + g.services() + " of project " + g.project()
                            + " must be recreated, but neither 'docker compose' nor 'docker-compose' is installed");
                }
                b.step(Step.run("recreate " + String.join(", ", g.services()) + " of project " + g.project(), Scripts.recreate(tool.command(), g)));
                b.step(Step.run("verify published ports of " + String.join(", ", g.services()) + " are on loopback",
                        Scripts.verify(g, args.bind(), args.ports())));
                if (g.fileChanged()) {
                    recreateUndo.add(new Undo.RecreateCompose(g.files().get(0), g.running(), g.project(), g.dir(), g.files(), g.stopped()));
                } else {
                    b.diff(Diff.of("containers of project " + g.project(), exposure(containers, g, args), "published on " + args.bind()));
                    recreateUndo.add(new Undo.Irreversible("recreated " + g.services() + " of project " + g.project()
                            + " (their file already published on loopback; the exposed containers are not brought back)"));
                }
                for (String s : g.running()) recreated.add(g.project() + "/" + s);
                for (String s : g.stopped()) notStarted.add(g.project() + "/" + s + " (recreated, left stopped)");
                b.touches("compose:containers");
            }
        } else if (!d.recreates().isEmpty()) {
            for (Recreate g : d.recreates()) notStarted.add(g.project() + ": " + g.services() + " keep their old bindings (recreate: false)");
        }
        for (Undo u : recreateUndo) b.undo(u);
        for (Undo u : restoreUndo) b.undo(u);
        if (!files.isEmpty()) b.touches(args.filesFact().key());
        b.result("files", files);
        b.result("changes", changes);
        b.result("recreated", recreated);
        b.result("not_running", notStarted);
        b.result("outside_compose", d.outside());
        b.result("unfixed", d.unfixed().stream().map(Unfixed::toString).toList());
        b.result("warnings", d.warnings());
        b.result("compose", tool.command() == null ? "none" : tool.command());
        Plan p = b.build();
        String msg = message(files, recreated, notStarted, d);
        return msg.isEmpty() ? p : p.withMessage(msg);
    }

    private static String exposure(List<Container> containers, Recreate g, ComposeArgs args) {
        List<String> out = new ArrayList<>();
        for (Container c : containers) {
            if (g.project().equals(c.project()) && g.services().contains(c.service())) {
                out.add(c.name() + " publishes " + c.exposed(args.bind(), args.ports()));
            }
        }
        return String.join("\n", out);
    }

    private static String message(List<String> files, List<String> recreated, List<String> notStarted, ComposeDecision d) {
        List<String> lines = new ArrayList<>();
        if (!files.isEmpty()) lines.add("rewrote " + String.join(", ", files));
        if (!recreated.isEmpty()) lines.add("recreated " + String.join(", ", recreated));
        for (String s : notStarted) lines.add("not running, file fixed only: " + s);
        lines.addAll(d.outside());
        for (Unfixed u : d.unfixed()) lines.add(u.toString());
        for (String w : d.warnings()) lines.add("warning: " + w);
        return String.join("\n", lines);
    }
}
