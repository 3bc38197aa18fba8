package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

import dev.moat.compose.BindArgs;
import dev.moat.compose.Binding;
import dev.moat.compose.Container;
import dev.moat.compose.ContainersFact;
import dev.moat.compose.DockerHostFact;
import dev.moat.compose.PortFilter;
import dev.moat.compose.RunDecision;
import dev.moat.compose.RunPlanner;
import dev.moat.compose.Scripts;
import dev.moat.compose.StartFilesFact;
import dev.moat.journal.ContainerControl;
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
import dev.moat.module.SafeWrite;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Puts on loopback the published ports of containers started outside Compose ({@code docker run -p
 * 8000:8000}, as Ollama's and vLLM's own instructions start them; Portainer; a systemd unit running
 * {@code docker run}), which Docker's DNAT rules expose past UFW. Containers with Compose labels are
 * {@code compose_ports}' and left to it ({@link RunPlanner} says how nothing falls between the two).
 *
 * <p><b>How a container is recreated.</b> Docker cannot change a running container's published
 * ports, so the container is made again with the same configuration and the new bindings. moat
 * posts inspect's own {@code Config} and {@code HostConfig}, and the settings of its networks, to
 * the Docker Engine API's {@code POST /containers/create} on the host ({@code curl --unix-socket},
 * see {@link ContainerControl}) rather than translating inspect into {@code docker run} flags on the
 * controller: inspect and create speak the same schema, so every field the daemon reports goes
 * back as it came, including those no flag sets exactly or that moat does not know (a
 * {@code DeviceRequests} entry's capabilities and options from {@code --gpus}, {@code Mounts} with
 * volume options, ulimits, sysctls, log options, a healthcheck's start interval, fields of a newer
 * Docker), where a translation would silently drop whatever it has no flag for. What is changed
 * and why is in {@link dev.moat.compose.CreateBody}: the bindings, anonymous volumes attached by
 * name (never fresh empty ones), legacy links in create's form, network settings without what
 * Docker derives by itself. An IPv6 publish ({@code [::]:8188}) goes to {@code ::1} when
 * {@code bind} is IPv4 loopback (the service stays reachable on the host's IPv6 loopback, where
 * {@code localhost} may resolve first) and is dropped for another IPv4 bind.
 *
 * <p>Order on the host: the original's body is saved, the new container created under a
 * temporary name, the old one stopped, the new one started and its bindings checked, then the
 * old one removed (its volumes stay) and the new one renamed; on a failure the old one is started
 * again. A stopped container is recreated without being started, so a later {@code docker start}
 * cannot bring the old binding back. Containers moat cannot recreate faithfully fail the task with
 * their name and port (see {@link RunPlanner}): a hardening task never succeeds with a port open.
 *
 * <p><b>Restart sources.</b> Systemd units in {@code /etc/systemd/system} (and drop-ins), the
 * scripts their {@code Exec*=} lines run and {@code /etc/rc.local} get their {@code -p}/{@code --publish}
 * arguments moved to {@code bind} too (then {@code systemctl daemon-reload}), or the next start
 * would publish the port again. A container a unit runs in the foreground ({@code docker run}
 * without {@code -d}) is recreated by restarting the unit, never behind its back. A container with
 * restart policy {@code always}/{@code unless-stopped} is Docker's to bring back, with its new
 * bindings. Where moat finds nothing that starts a container and it would not restart by itself,
 * the result says so ({@code notes}) and the task does not fail: a {@code docker start} keeps the
 * new bindings, and a fresh {@code docker run -p} someone types later is what the DOCKER-USER guard
 * of issue 16 is for. A start file with a {@code -p} moat cannot rewrite ({@code -p ${PORT}:8000})
 * that starts an exposed container fails the task: its re-exposure is certain.
 *
 * <p>Undo: each container is put back as it was, bindings included
 * ({@link Undo.RecreateContainer}); patched files byte for byte, then units reloaded and restarted.
 *
 * <pre>
 * - container_ports:
 *     bind: 127.0.0.1          # default
 *     ports: [8000, 11434]     # default: every published port
 *     max_writable_mb: 100     # refuse a container with more than this written outside its volumes
 * </pre>
 */
public final class ContainerPorts implements Module<ContainerPorts.RunArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("bind", ArgType.STRING, "127.0.0.1"),
            ArgSpec.optional("ports", ArgType.LIST),
            ArgSpec.optional("max_writable_mb", ArgType.INT, 100));

    /** Validated arguments: a specific bind address (no brackets), a port filter, the writable-layer limit in bytes. */
    public record RunArgs(String bind, PortFilter ports, long maxWritable) {}

    @Override
    public String name() {
        return "container_ports";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public RunArgs bind(Args a) throws ArgException {
        String bind = BindArgs.bind(a);
        PortFilter filter = BindArgs.ports(a);
        Integer mb = a.integer("max_writable_mb");
        long max = mb == null ? 100 : mb;
        if (max < 0) throw new ArgException("max_writable_mb", "max_writable_mb must not be negative");
        return new RunArgs(bind, filter, max << 20);
    }

    @Override
    public List<Fact<?>> reads(RunArgs args) {
        return List.of(new ContainersFact(), new DockerHostFact(), new StartFilesFact());
    }

    @Override
    public Plan plan(RunArgs args, Facts facts, PlanContext ctx) throws TaskException {
        DockerHostFact.DockerHost host = facts.get(new DockerHostFact());
        List<Container> containers = facts.get(new ContainersFact());
        List<StartFilesFact.StartFile> files = facts.get(new StartFilesFact());
        RunDecision d = new RunPlanner(args.bind(), args.ports(), args.maxWritable()).decide(containers, host, files);
        return plan(args, d);
    }

    /** Turns a decision into steps, diffs, undo and the registered result. */
    static Plan plan(RunArgs args, RunDecision d) throws TaskException {
        if (!d.refusals().isEmpty()) throw new TaskException("container_ports: " + String.join("; ", d.refusals()));
        Plan.Builder b = Plan.builder();
        List<Undo> reloads = new ArrayList<>();
        List<Undo> containers = new ArrayList<>();
        List<Undo> paths = new ArrayList<>();
        List<String> files = new ArrayList<>();
        boolean units = false;
        for (RunDecision.FilePatch p : d.patches()) {
            files.add(p.path());
            units |= p.unit();
            b.diff(Diff.file(p.path(), p.before(), p.after()));
            b.step(Step.write("publish on " + args.bind() + " in " + p.path(), SafeWrite.replace(p.path(), Scripts.sha256(p.before()), "container_ports"),
                    p.after()));
            b.touches("file:" + p.path());
            paths.add(new Undo.RestorePath(p.path()));
        }
        if (units) {
            b.step(Step.run("systemctl daemon-reload", "systemctl daemon-reload"));
            reloads.add(new Undo.Reload("systemd"));
        }
        List<String> recreated = new ArrayList<>();
        for (RunDecision.Recreation r : d.recreate()) {
            b.diff(Diff.of("container " + r.name(), lines(r.before()), lines(r.after())));
            b.step(Step.write("save the configuration of " + r.name() + " for rollback", ContainerControl.saveOriginal(r.name(), r.id()), r.original()));
            b.step(Step.write("recreate " + r.name() + " with its ports on " + args.bind(),
                    ContainerControl.replace(r.name(), r.id(), r.image(), r.imageId(), r.start(), r.bindingsJson(), args.bind(), r.ports()),
                    r.rebound()));
            containers.add(new Undo.RecreateContainer(r.name(), r.id(), ContainerControl.saved(r.id())));
            recreated.add(r.name());
        }
        List<String> restarted = new ArrayList<>();
        for (RunDecision.UnitRestart u : d.restart()) {
            b.diff(Diff.of("container " + u.container() + " (run by " + u.unit() + ")", lines(u.before()), "published on " + args.bind()));
            b.step(Step.run("restart " + u.unit() + " so " + u.container() + " publishes on " + args.bind(), restart(u, args.bind())));
            reloads.add(0, new Undo.Reload(u.unit(), true));
            restarted.add(u.unit());
        }
        if (!recreated.isEmpty() || !restarted.isEmpty()) {
            b.touches("compose:containers");
            b.touches("docker:host");
        }
        if (!files.isEmpty()) b.touches("docker:start-files");
        for (Undo u : reloads) b.undo(u);
        for (Undo u : containers) b.undo(u);
        for (Undo u : paths) b.undo(u);
        b.result("recreated", recreated);
        b.result("restarted", restarted);
        b.result("files", files);
        b.result("notes", d.notes());
        Plan p = b.build();
        List<String> msg = new ArrayList<>();
        if (!recreated.isEmpty()) msg.add("recreated " + String.join(", ", recreated) + " with ports on " + args.bind());
        if (!restarted.isEmpty()) msg.add("restarted " + String.join(", ", restarted));
        if (!files.isEmpty()) msg.add("patched " + String.join(", ", files));
        msg.addAll(d.notes());
        return msg.isEmpty() ? p : p.withMessage(String.join("\n", msg));
    }

    /** Restarts the unit, then waits (up to a minute) until its host ports are published on loopback or {@code bind} only. */
    static String restart(RunDecision.UnitRestart u, String bind) {
        StringBuilder ports = new StringBuilder();
        for (int p : u.hostPorts()) ports.append(' ').append(p);
        return "set -u\nsystemctl restart " + Sh.q(u.unit()) + " || { echo " + Sh.q("container_ports: restarting " + u.unit() + " failed") + " >&2; exit 1; }\n"
                + "bind=" + Sh.q(bind) + "; i=0\n"
                + "while :; do\n"
                + "  ok=1; bad=\n"
                + "  for port in" + ports + "; do\n"
                + "    ids=$(docker ps -q --filter \"publish=$port\" 2>/dev/null)\n"
                + "    [ -n \"$ids\" ] || { ok=0; bad=\"nothing publishes $port yet\"; continue; }\n"
                + "    for b in $(docker container inspect --format '{{range $p, $b := .NetworkSettings.Ports}}{{range $b}} {{.HostIp}}|{{.HostPort}}{{end}}{{end}}' $ids); do\n"
                + "      [ \"${b#*|}\" = \"$port\" ] || continue\n"
                + "      case \"${b%%|*}\" in 127.*|::1|::ffff:127.*|\"$bind\") ;; *) ok=0; bad=\"$port is still published on ${b%%|*}\";; esac\n"
                + "    done\n"
                + "  done\n"
                + "  [ $ok = 1 ] && exit 0\n"
                + "  i=$((i + 1)); [ $i -lt 60 ] || { printf '%s: %s\\n' " + Sh.q("container_ports: after restarting " + u.unit()) + " \"$bad\" >&2; exit 1; }\n"
                + "  sleep 1\n"
                + "done\n";
    }

    private static String lines(List<Binding> bs) {
        List<String> out = new ArrayList<>();
        for (Binding x : bs) out.add(x.toString());
        return out.isEmpty() ? "(not published)" : String.join("\n", out);
    }
}
