package dev.moat.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.moat.compose.ContainerConfig;
import dev.moat.compose.CreateBody;
import dev.moat.compose.PortSyntaxException;
import dev.moat.journal.ContainerControl;
import dev.moat.journal.DockerControl;
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
import dev.moat.modules.docker.ContainerBody;
import dev.moat.modules.docker.ContainerDecision;
import dev.moat.modules.docker.ContainerWant;
import dev.moat.modules.docker.DockerArgs;
import dev.moat.modules.docker.DockerFact;
import dev.moat.transport.Sh;

/**
 * A container, as {@code community.docker.docker_container} manages it: created from the image with
 * the options given, recreated when the image or an option given differs from the running
 * container ({@link ContainerDecision}), and brought to {@code state} (started, stopped, present,
 * absent). Its published ports are ordinary Docker bindings: one on 0.0.0.0 for an AI port is
 * what {@code moat scan --inside} flags and {@code harden-inference.yml}'s {@code exposure} refuses,
 * so publish on 127.0.0.1.
 *
 * <p>Undo: a container the run created is removed; one it recreated, stopped, started or removed
 * is put back from its saved configuration (inspect's own create body, {@link Undo.RecreateContainer});
 * a network connected or a restart policy updated in place cannot be undone and says so.
 *
 * <pre>
 * - community.docker.docker_container:
 *     name: vllm
 *     image: vllm/vllm-openai:v0.6.3
 *     command: ["--model", "/models/llama"]
 *     published_ports: ["127.0.0.1:8000:8000"]
 *     volumes: ["/srv/models:/models:ro"]
 *     env: {HF_HOME: /models}
 *     restart_policy: unless-stopped
 *     device_requests: [{driver: nvidia, count: -1, capabilities: [[gpu]]}]
 * </pre>
 */
public final class DockerContainer implements Module<ContainerWant> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.optional("image", ArgType.STRING),
            ArgSpec.optional("command", ArgType.RAW),
            ArgSpec.optional("entrypoint", ArgType.LIST),
            ArgSpec.optional("env", ArgType.MAP),
            ArgSpec.optional("volumes", ArgType.LIST),
            ArgSpec.optional("published_ports", ArgType.LIST).withAliases("ports"),
            ArgSpec.choice("restart_policy", null, "no", "on-failure", "always", "unless-stopped"),
            ArgSpec.optional("labels", ArgType.MAP),
            ArgSpec.optional("networks", ArgType.LIST),
            ArgSpec.optional("device_requests", ArgType.LIST),
            ArgSpec.choice("state", "started", "started", "stopped", "present", "absent"),
            ArgSpec.optional("recreate", ArgType.BOOL, false),
            ArgSpec.optional("pull", ArgType.STRING, "missing"));

    @Override
    public String name() {
        return "docker_container";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public ContainerWant bind(Args a) throws ArgException {
        String name = DockerArgs.name(a, "name");
        String state = a.str("state", "started");
        String image = a.str("image");
        if (image != null) DockerArgs.checkName("image", image);
        if (image == null && !state.equals("absent")) {
            throw new ArgException("image", "image is needed to create a container unless state is absent (moat does not recreate a container without it)");
        }
        String pull = DockerArgs.pull(a.raw("pull"));
        List<String> ports = a.has("published_ports") ? a.strings("published_ports") : null;
        if (ports != null) {
            for (String p : ports) {
                try {
                    dev.moat.compose.PortSpec.parseShort(p);
                } catch (PortSyntaxException e) {
                    throw new ArgException("published_ports", "published_ports: " + e.getMessage());
                }
            }
        }
        List<String> networks = null;
        if (a.has("networks")) {
            networks = new ArrayList<>();
            for (Object o : a.list("networks")) {
                Object n = o instanceof Map<?, ?> m ? m.get("name") : o;
                if (o instanceof Map<?, ?> m && m.size() > 1) {
                    throw new ArgException("networks", "networks: only 'name' is supported in an entry (moat does not set aliases, addresses or links yet): " + m.keySet());
                }
                networks.add(DockerArgs.checkName("networks", String.valueOf(n)));
            }
        }
        return new ContainerWant(name, image, DockerArgs.command(a.raw("command"), Shlex::split), a.has("entrypoint") ? a.strings("entrypoint") : null,
                a.has("env") ? DockerArgs.stringMap(a.map("env")) : null, a.has("volumes") ? a.strings("volumes") : null, ports,
                a.str("restart_policy"), a.has("labels") ? DockerArgs.stringMap(a.map("labels")) : null, networks,
                a.has("device_requests") ? DockerArgs.devices(a.list("device_requests")) : null, state, a.bool("recreate"), pull);
    }

    @Override
    public List<Fact<?>> reads(ContainerWant w) {
        List<Fact<?>> r = new ArrayList<>();
        r.add(new DockerFact("container", w.name()));
        if (w.image() != null) r.add(new DockerFact("image", w.image()));
        return r;
    }

    @Override
    public Plan plan(ContainerWant w, Facts facts, PlanContext ctx) throws TaskException {
        JsonNode c = facts.get(new DockerFact("container", w.name()));
        JsonNode image = w.image() == null ? null : facts.get(new DockerFact("image", w.image()));
        try {
            return plan(w, c, image);
        } catch (PortSyntaxException e) {
            throw new TaskException("docker_container: published_ports: " + e.getMessage());
        }
    }

    /** Pure: the steps, diff and undo for the container's inspect {@code c} and the image's {@code image}. */
    static Plan plan(ContainerWant w, JsonNode c, JsonNode image) throws PortSyntaxException, TaskException {
        ContainerDecision d = ContainerDecision.decide(w, c, image);
        Plan.Builder b = Plan.builder();
        boolean exists = c != null && !c.isMissingNode();
        if (d.changes()) {
            b.touches(new DockerFact("container", w.name()).key()).touches("compose:containers").touches("docker:host");
            if (w.image() != null) b.touches(new DockerFact("image", w.image()).key());
        }
        if (d.pull()) b.step(Step.run("pull " + w.image(), "docker pull " + Sh.q(w.image()) + " >/dev/null"));
        String id = exists ? c.path("Id").asText() : null;
        boolean saved = false;
        if (exists && (!d.recreate().isEmpty() || d.remove())) {
            ContainerConfig cfg = ContainerConfig.parse(c.toString());
            String imageRef = cfg.imageRef();
            boolean same = image != null && !image.isMissingNode() && image.path("Id").asText().equals(cfg.imageId()) && imageRef.equals(w.image());
            b.step(Step.write("save the configuration of " + w.name() + " for rollback", ContainerControl.saveOriginal(w.name(), id),
                    CreateBody.original(cfg, same ? imageRef : cfg.imageId())));
            saved = true;
        }
        if (d.remove()) {
            b.step(Step.run("remove container " + w.name(), "docker rm -f " + Sh.q(id) + " >/dev/null"));
            b.diff(Diff.of("container " + w.name(), state(c), "absent"));
        } else if (d.create() || !d.recreate().isEmpty()) {
            if (!d.recreate().isEmpty()) b.step(Step.run("remove container " + w.name() + " to recreate it", "docker rm -f " + Sh.q(id) + " >/dev/null"));
            List<String> more = w.networks() == null || w.networks().size() < 2 ? List.of() : w.networks().subList(1, w.networks().size());
            b.step(Step.write((d.create() ? "create" : "recreate") + " container " + w.name(), ContainerBody.createScript(w.name(), more, d.start()),
                    ContainerBody.of(w)));
            b.diff(Diff.of("container " + w.name(), d.create() ? "absent" : state(c) + "\n" + String.join("\n", d.recreate()),
                    (d.start() ? "running" : "created") + " from " + w.image()));
        } else {
            if (d.start()) b.step(Step.run("start container " + w.name(), "docker start " + Sh.q(w.name()) + " >/dev/null"));
            if (d.stop()) b.step(Step.run("stop container " + w.name(), "docker stop " + Sh.q(w.name()) + " >/dev/null"));
            for (String n : d.connect()) b.step(Step.run("connect " + w.name() + " to network " + n, "docker network connect " + Sh.q(n) + " " + Sh.q(w.name())));
            if (d.restartPolicy() != null) {
                b.step(Step.run("set the restart policy of " + w.name() + " to " + d.restartPolicy(),
                        "docker update --restart " + Sh.q(d.restartPolicy()) + " " + Sh.q(w.name()) + " >/dev/null"));
            }
            if (d.changes()) {
                List<String> after = new ArrayList<>();
                if (d.start() || d.stop()) after.add(d.start() ? "running" : "stopped");
                for (String n : d.connect()) after.add("network " + n);
                if (d.restartPolicy() != null) after.add("restart policy " + d.restartPolicy());
                b.diff(Diff.of("container " + w.name(), state(c), String.join("\n", after)));
            }
        }
        if (d.changes()) {
            if (d.create()) b.undo(new Undo.RemoveDocker("container", w.name()));
            else if (saved || d.start() || d.stop()) b.undo(new Undo.RecreateContainer(w.name(), id, ContainerControl.saved(id)));
            if (!d.connect().isEmpty()) b.undo(new Undo.Irreversible("container " + w.name() + " connected to " + String.join(", ", d.connect()) + " (disconnect it by hand)"));
            if (d.restartPolicy() != null) {
                b.undo(new Undo.Irreversible("restart policy of container " + w.name() + " (was " + ContainerDecision.policyOf(c) + ")"));
            }
        }
        if (exists && !d.changes()) b.result("container", c);
        Plan p = b.build();
        return d.recreate().isEmpty() ? p : p.withMessage("recreated " + w.name() + ": " + String.join("; ", d.recreate()));
    }

    private static String state(JsonNode c) {
        if (c == null || c.isMissingNode()) return "absent";
        return (c.path("State").path("Running").asBoolean(false) ? "running" : "stopped") + " from " + c.path("Config").path("Image").asText();
    }

}
