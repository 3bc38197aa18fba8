package dev.moat.modules;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

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
import dev.moat.modules.docker.DockerArgs;
import dev.moat.modules.docker.DockerFact;
import dev.moat.transport.Sh;

/**
 * An image on the host, as {@code community.docker.docker_image}: {@code source: load} loads it
 * from a {@code docker save} tarball already on the host ({@code load_path}), {@code pull} pulls it
 * from its registry, {@code local} only checks it is there; {@code state: absent} removes the tag.
 * An image already present is left alone unless {@code force_source}. After a load, the image asked
 * for must be among those the tarball held, or the task fails (as the collection's does).
 *
 * <p>Undo: a tag the run created is removed (the image goes with it when nothing else uses it); a
 * tag it moved to another image is put back on the image it named before, if that image is still
 * there. A removed image cannot be brought back by moat and says so.
 *
 * <pre>
 * - community.docker.docker_image:
 *     name: vllm/vllm-openai:v0.6.3
 *     source: load
 *     load_path: /srv/images/vllm-v0.6.3.tar
 * </pre>
 */
public final class DockerImage implements Module<DockerImage.ImageArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.optional("tag", ArgType.STRING, "latest"),
            ArgSpec.choice("source", null, "load", "pull", "local"),
            ArgSpec.optional("load_path", ArgType.STRING),
            ArgSpec.choice("state", "present", "present", "absent"),
            ArgSpec.optional("force_source", ArgType.BOOL, false),
            ArgSpec.optional("force_absent", ArgType.BOOL, false));

    /** {@code ref} is repository:tag (or the name as given when it has a tag or digest). */
    public record ImageArgs(String ref, String source, String loadPath, boolean present, boolean forceSource, boolean forceAbsent) {}

    @Override
    public String name() {
        return "docker_image";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public ImageArgs bind(Args a) throws ArgException {
        String name = DockerArgs.name(a, "name");
        boolean hasTag = name.contains("@") || name.lastIndexOf(':') > name.lastIndexOf('/');
        String ref = hasTag ? name : name + ":" + DockerArgs.checkName("tag", a.str("tag", "latest"));
        boolean present = a.str("state", "present").equals("present");
        String source = a.str("source");
        if (present && source == null) throw new ArgException("source", "source is required when state is present (load, pull or local)");
        String load = a.str("load_path");
        if ("load".equals(source) && (load == null || !load.startsWith("/"))) {
            throw new ArgException("load_path", "load_path: an absolute path to a docker save tarball on the host is needed with source: load");
        }
        return new ImageArgs(ref, source, load, present, a.bool("force_source"), a.bool("force_absent"));
    }

    @Override
    public List<Fact<?>> reads(ImageArgs i) {
        return List.of(new DockerFact("image", i.ref()));
    }

    @Override
    public Plan plan(ImageArgs i, Facts facts, PlanContext ctx) throws TaskException {
        return plan(i, facts.get(new DockerFact("image", i.ref())));
    }

    static Plan plan(ImageArgs i, JsonNode image) throws TaskException {
        boolean exists = image != null && !image.isMissingNode();
        String key = new DockerFact("image", i.ref()).key();
        Plan.Builder b = Plan.builder();
        if (!i.present()) {
            if (!exists) return Plan.converged();
            b.step(Step.run("remove image " + i.ref(), "docker image rm " + (i.forceAbsent() ? "-f " : "") + Sh.q(i.ref()) + " >/dev/null"));
            b.diff(Diff.of("image " + i.ref(), image.path("Id").asText(), "absent"));
            b.undo(new Undo.Irreversible("image " + i.ref() + " removed (" + image.path("Id").asText() + "); load or pull it again"));
            return b.touches(key).touches("docker:host").build();
        }
        if (exists && !i.forceSource()) return Plan.converged().withResult(Map.of("image", image));
        if (i.source().equals("local")) {
            if (!exists) throw new TaskException("docker_image: cannot find the image " + i.ref() + " locally (source: local)");
            return Plan.converged().withResult(Map.of("image", image));
        }
        if (i.source().equals("load")) {
            String p = Sh.q(i.loadPath());
            b.step(Step.run("load " + i.ref() + " from " + i.loadPath(),
                    "set -e\n[ -f " + p + " ] || { echo " + Sh.q("Error loading image " + i.ref() + ". Specified path " + i.loadPath() + " does not exist.") + " >&2; exit 1; }\n"
                    + "out=$(docker load -i " + p + ")\n"
                    + "docker image inspect " + Sh.q(i.ref()) + " >/dev/null 2>&1 || { printf '%s\\n' " + Sh.q("The archive did not contain image " + i.ref() + ". Instead, found:")
                    + " \"$out\" >&2; exit 1; }\n"));
        } else {
            b.step(Step.run("pull " + i.ref(), "docker pull " + Sh.q(i.ref()) + " >/dev/null"));
        }
        b.diff(Diff.of("image " + i.ref(), exists ? image.path("Id").asText() : "absent", (i.source().equals("load") ? "loaded from " + i.loadPath() : "pulled")));
        b.undo(new Undo.RemoveDocker("image", i.ref()));
        return b.touches(key).touches("docker:host").build();
    }
}
