package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.journal.Undo;
import dev.moat.module.ArgSpec;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Risk;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.ufw.DockerGuard;

/**
 * A guard for containers started tomorrow: Docker publishes ports with DNAT rules that UFW never
 * sees, so a {@code docker run -p 8000:8000} typed next week would be open to the internet however
 * strict UFW is. This module puts Docker's documented hook, the {@code DOCKER-USER} chain, under
 * UFW's control ({@link DockerGuard}): in {@code /etc/ufw/after.rules} and {@code after6.rules}, a
 * block that drops new connections from outside to a published container port unless UFW's routed
 * rules allow it ({@code ufw route allow proto tcp to any port 8000}, the container's port).
 *
 * <p>A module of its own rather than an argument of {@code ufw}: {@code ufw} keeps the interface
 * of Ansible's {@code community.general.ufw}, which has no such argument, and this one edits files
 * UFW loads rather than UFW's rules. It is a firewall change all the same: the lockout guard covers
 * it ({@link Risk#FIREWALL}), and its undo restores {@code /etc/ufw} and {@code DOCKER-USER} as
 * they were. UFW reloads only when it is active; an inactive UFW loads the block when enabled.
 *
 * <pre>
 * - ufw_docker: {}              # state: present (the default) | absent
 * </pre>
 */
public final class UfwDocker implements Module<UfwDocker.DockerArgs> {
    static final FileFact AFTER4 = new FileFact("/etc/ufw/after.rules");
    static final FileFact AFTER6 = new FileFact("/etc/ufw/after6.rules");
    static final FileFact DIR = new FileFact("/etc/ufw");

    private static final Spec SPEC = Spec.of(ArgSpec.choice("state", "present", "present", "absent"));

    /** @param present whether the guard block should be there */
    public record DockerArgs(boolean present) {}

    @Override
    public String name() {
        return "ufw_docker";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public DockerArgs bind(Args a) {
        return new DockerArgs("present".equals(a.str("state")));
    }

    @Override
    public List<Fact<?>> reads(DockerArgs args) {
        return List.of(AFTER4, AFTER6, DIR);
    }

    @Override
    public Plan plan(DockerArgs args, Facts facts, PlanContext ctx) throws TaskException {
        FileState v4 = facts.get(AFTER4);
        FileState v6 = facts.get(AFTER6);
        if (!v4.isFile()) {
            // In a check run an earlier task may install ufw; say what would happen.
            if (ctx.check() && args.present()) {
                return Plan.builder().step(Step.run("add the DOCKER-USER guard to " + AFTER4.path() + " and " + AFTER6.path()
                        + " (once ufw is installed)", "exit 1")).build();
            }
            if (!args.present()) return Plan.converged();
            throw new TaskException(AFTER4.path() + " is missing: install ufw first (apt: name=ufw)");
        }
        Plan.Builder b = Plan.builder();
        edit(b, v4, facts.get(DIR), args.present(), false);
        if (v6.isFile()) edit(b, v6, facts.get(DIR), args.present(), true);
        if (!b.hasSteps()) return Plan.converged();
        b.step(Step.run("reload ufw if it is active",
                "if ufw status | grep -q '^Status: active'; then ufw reload >/dev/null; fi"));
        b.risk(Risk.FIREWALL).undo(new Undo.RestoreFirewall());
        b.touches("file:/etc/ufw").touches(Ufw.STATUS.key());
        return b.build();
    }

    /** Adds the write of one rules file when its block is not as wanted. */
    private static void edit(Plan.Builder b, FileState cur, FileState dir, boolean present, boolean v6) throws TaskException {
        if (cur.overCap()) throw new TaskException(cur.path() + " is " + cur.size() + " bytes, too big to edit");
        String after;
        try {
            after = DockerGuard.apply(cur.text(), present, v6);
        } catch (IllegalArgumentException e) {
            throw new TaskException(cur.path() + ": " + e.getMessage() + "; fix the file by hand");
        }
        if (after.equals(cur.text())) return;
        FileWrite.plan(b, cur.path(), after.getBytes(StandardCharsets.UTF_8), Attrs.NONE, null, cur, dir, false);
    }
}
