package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

import dev.moat.compose.Container;
import dev.moat.compose.CreateBody;
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
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.docker.ComposeProjectFact;
import dev.moat.modules.docker.ComposeWant;
import dev.moat.modules.docker.DockerArgs;
import dev.moat.modules.docker.ProjectDecision;
import dev.moat.transport.Sh;

/**
 * A Compose project brought up, stopped, restarted or taken down, as
 * {@code community.docker.docker_compose_v2} does with {@code docker compose up/stop/restart/down}.
 * Whether anything changes is decided before, from Compose's own configuration hash of each service
 * ({@code config --hash}) against its containers' labels ({@link ProjectDecision}), so a converged
 * project costs one read and check mode knows what {@code up} would do. It runs the v2 plugin
 * ({@code docker compose}); where the host has only a standalone {@code docker-compose} (Debian 12's
 * 1.29) it runs that, with the same subcommands. The project name is always passed ({@code -p}): the
 * one given, else the directory's name as Compose normalizes it. Published ports stay Docker's: one
 * on 0.0.0.0 for an AI port is what {@code moat scan --inside} flags and {@code compose_ports} fixes.
 *
 * <p>Undo: containers of services it created are removed; containers it recreated, started,
 * stopped or removed as orphans are put back from their saved configuration
 * ({@link Undo.RecreateContainer}); a project taken down is brought up again from its files
 * ({@link Undo.RecreateCompose}); a restart cannot be undone and says so.
 *
 * <pre>
 * - community.docker.docker_compose_v2:
 *     project_src: /opt/ai
 *     state: present
 *     pull: never
 *     remove_orphans: true
 * </pre>
 */
public final class DockerCompose implements Module<ComposeWant> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("project_src", ArgType.STRING),
            ArgSpec.optional("project_name", ArgType.STRING),
            ArgSpec.optional("files", ArgType.LIST),
            ArgSpec.choice("state", "present", "present", "stopped", "restarted", "absent"),
            ArgSpec.optional("services", ArgType.LIST),
            ArgSpec.choice("pull", "policy", "always", "missing", "never", "policy"),
            ArgSpec.choice("recreate", "auto", "always", "never", "auto"),
            ArgSpec.optional("remove_orphans", ArgType.BOOL, false),
            ArgSpec.optional("remove_volumes", ArgType.BOOL, false),
            ArgSpec.optional("timeout", ArgType.INT));

    @Override
    public String name() {
        return "docker_compose_v2";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public ComposeWant bind(Args a) throws ArgException {
        String src = a.str("project_src");
        if (src == null || !src.startsWith("/")) throw new ArgException("project_src", "project_src: an absolute directory on the host is needed");
        String project = a.has("project_name") ? DockerArgs.name(a, "project_name") : ComposeWant.defaultProject(src);
        if (project.isEmpty()) throw new ArgException("project_src", "project_src: '" + src + "' gives no project name; set project_name");
        List<String> files = new ArrayList<>();
        for (String f : a.strings("files")) files.add(f.startsWith("/") ? f : src.replaceAll("/+$", "") + "/" + f);
        List<String> services = new ArrayList<>();
        for (String s : a.strings("services")) services.add(DockerArgs.checkName("services", s));
        return new ComposeWant(src, files, project, a.str("state", "present"), services, a.str("pull", "policy"), a.str("recreate", "auto"),
                a.bool("remove_orphans"), a.bool("remove_volumes"), a.integer("timeout"));
    }

    @Override
    public List<Fact<?>> reads(ComposeWant w) {
        return List.of(new ComposeProjectFact(w.src(), w.files(), w.project()));
    }

    @Override
    public Plan plan(ComposeWant w, Facts facts, PlanContext ctx) throws TaskException {
        return plan(w, facts.get(new ComposeProjectFact(w.src(), w.files(), w.project())));
    }

    /** Pure: steps, diff and undo for the project as read. */
    static Plan plan(ComposeWant w, ComposeProjectFact.Project p) throws TaskException {
        ProjectDecision d = ProjectDecision.decide(w, p);
        List<String> actions = new ArrayList<>();
        if (!d.changes()) return Plan.converged().withResult(java.util.Map.of("actions", actions));
        Plan.Builder b = Plan.builder();
        b.touches(new ComposeProjectFact(w.src(), w.files(), w.project()).key()).touches("compose:containers").touches("docker:host");
        String cd = "set -e\ncd " + Sh.q(w.src()) + "\n" + ComposeProjectFact.TOOL + "[ -n \"$dc\" ] || { echo 'docker_compose_v2: no Compose on the host' >&2; exit 1; }\n";
        String base = ComposeProjectFact.base(w.files(), w.project());
        String svcs = words(w.services());
        String t = w.timeout() == null ? "" : " -t " + w.timeout();
        List<Container> saved = new ArrayList<>();
        List<Container> undoState = new ArrayList<>();
        switch (w.state()) {
            case "present": {
                saved.addAll(d.recreate());
                saved.addAll(d.remove());
                undoState.addAll(d.start());
                StringBuilder up = new StringBuilder(cd);
                boolean v2 = "docker compose".equals(p.tool());
                if (w.pull().equals("always")) up.append(base).append(" pull").append(svcs).append('\n');
                up.append(base).append(" up -d");
                if (w.recreate().equals("always")) up.append(" --force-recreate");
                if (w.recreate().equals("never")) up.append(" --no-recreate");
                if (w.removeOrphans()) up.append(" --remove-orphans");
                if (v2 && !w.pull().equals("always")) up.append(" --pull ").append(w.pull().equals("policy") ? "missing" : w.pull());
                up.append(t).append(svcs).append('\n');
                saveSteps(b, saved);
                b.step(Step.run("docker compose up " + w.project(), up.toString()));
                for (String s : d.create()) actions.add("create " + s);
                for (Container c : d.recreate()) actions.add("recreate " + c.name());
                for (Container c : d.start()) actions.add("start " + c.name());
                for (Container c : d.remove()) actions.add("remove orphan " + c.name());
                if (!d.create().isEmpty()) b.undo(new Undo.RemoveDocker("compose", w.project(), d.create()));
                break;
            }
            case "stopped":
                undoState.addAll(d.stop());
                b.step(Step.run("docker compose stop " + w.project(), cd + base + " stop" + t + svcs + "\n"));
                for (Container c : d.stop()) actions.add("stop " + c.name());
                break;
            case "restarted":
                b.step(Step.run("docker compose restart " + w.project(), cd + base + " restart" + t + svcs + "\n"));
                for (Container c : d.restart()) actions.add("restart " + c.name());
                b.undo(new Undo.Irreversible("restart of compose project " + w.project() + " (" + names(d.restart()) + ")"));
                break;
            default: {
                String down = w.services().isEmpty()
                        ? base + " down" + t + (w.removeOrphans() ? " --remove-orphans" : "") + (w.removeVolumes() ? " -v" : "")
                        : base + " rm -s -f" + (w.removeVolumes() ? " -v" : "") + svcs;
                b.step(Step.run("docker compose down " + w.project(), cd + down + "\n"));
                List<String> running = new ArrayList<>();
                List<String> stopped = new ArrayList<>();
                for (Container c : d.remove()) {
                    actions.add("remove " + c.name());
                    if (c.service() == null || !p.hashes().containsKey(c.service())) continue;
                    List<String> into = c.running() ? running : stopped;
                    if (!into.contains(c.service())) into.add(c.service());
                }
                String file = !w.files().isEmpty() ? w.files().get(0) : p.defaultFile();
                if (file != null && (!running.isEmpty() || !stopped.isEmpty())) {
                    b.undo(new Undo.RecreateCompose(file, running, w.project(), w.src(), w.files(), stopped));
                } else if (!running.isEmpty() || !stopped.isEmpty()) {
                    b.undo(new Undo.Irreversible("compose project " + w.project() + " taken down (no compose file found to bring it up again)"));
                }
            }
        }
        for (Container c : saved) b.undo(new Undo.RecreateContainer(c.name(), c.id(), ContainerControl.saved(c.id())));
        for (Container c : undoState) b.undo(new Undo.RecreateContainer(c.name(), c.id(), ContainerControl.saved(c.id())));
        b.diff(Diff.of("compose project " + w.project(), before(p), String.join("\n", actions)));
        b.result("actions", actions);
        return b.build().withMessage(String.join("\n", actions));
    }

    private static void saveSteps(Plan.Builder b, List<Container> cs) {
        for (Container c : cs) {
            var cfg = c.config();
            b.step(Step.write("save the configuration of " + c.name() + " for rollback", ContainerControl.saveOriginal(c.name(), c.id()),
                    CreateBody.original(cfg, cfg.imageId())));
        }
    }

    private static String before(ComposeProjectFact.Project p) {
        List<String> out = new ArrayList<>();
        for (Container c : p.containers()) out.add(c.name() + " " + (c.running() ? "running" : "stopped"));
        return out.isEmpty() ? "(no containers)" : String.join("\n", out);
    }

    private static String names(List<Container> cs) {
        List<String> out = new ArrayList<>();
        for (Container c : cs) out.add(c.name());
        return String.join(", ", out);
    }

    private static String words(List<String> ws) {
        StringBuilder s = new StringBuilder();
        for (String w : ws) s.append(' ').append(Sh.q(w));
        return s.toString();
    }
}
