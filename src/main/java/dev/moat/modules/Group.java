package dev.moat.modules;

import java.util.List;

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
import dev.moat.modules.system.Accounts;
import dev.moat.modules.system.GroupFact;
import dev.moat.transport.Sh;

/**
 * A local group, as Ansible's {@code group}: {@code groupadd} ({@code -g}, {@code -r},
 * {@code -o}), {@code groupmod -g} when its id differs, {@code groupdel}. Undo: /etc/group and
 * /etc/gshadow journaled whole and restored byte for byte (see {@link Accounts}).
 *
 * <pre>
 * - group:
 *     name: gpu
 *     gid: 2000
 * </pre>
 */
public final class Group implements Module<Group.GroupArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.optional("gid", ArgType.INT),
            ArgSpec.optional("system", ArgType.BOOL, false),
            ArgSpec.optional("non_unique", ArgType.BOOL, false),
            ArgSpec.choice("state", "present", "present", "absent"));

    /** Validated arguments; {@code gid} null: not managed. */
    public record GroupArgs(String name, Integer gid, boolean system, boolean nonUnique, boolean present) {}

    @Override
    public String name() {
        return "group";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public GroupArgs bind(Args a) throws ArgException {
        String name = a.str("name");
        if (!Accounts.isName(name)) throw new ArgException("name", "'" + name + "' is not a group name (letters, digits, _ . -; not starting with -)");
        Integer gid = a.integer("gid");
        if (gid != null && gid < 0) throw new ArgException("gid", "gid must not be negative");
        if (a.bool("non_unique") && gid == null) throw new ArgException("non_unique", "non_unique requires gid");
        return new GroupArgs(name, gid, a.bool("system"), a.bool("non_unique"), "present".equals(a.str("state")));
    }

    @Override
    public List<Fact<?>> reads(GroupArgs args) {
        return List.of(new GroupFact(args.name()));
    }

    @Override
    public Plan plan(GroupArgs args, Facts facts, PlanContext ctx) throws TaskException {
        int gid = facts.get(new GroupFact(args.name()));
        Plan.Builder b = Plan.builder().result("name", args.name()).result("state", args.present() ? "present" : "absent");
        String q = Sh.q(args.name());
        if (!args.present()) {
            if (gid < 0) return b.build();
            b.step(Step.run("remove group " + args.name(), "groupdel " + q)).diff(Diff.of("group " + args.name(), "gid " + gid + "\n", ""));
        } else if (gid < 0) {
            String opts = (args.gid() != null ? "-g " + args.gid() + " " + (args.nonUnique() ? "-o " : "") : "") + (args.system() ? "-r " : "");
            b.step(Step.run("create group " + args.name(), "groupadd " + opts + q))
             .diff(Diff.of("group " + args.name(), "", "gid " + (args.gid() != null ? args.gid() : "(next free)") + "\n"));
        } else if (args.gid() != null && args.gid() != gid) {
            b.step(Step.run("change gid of " + args.name(), "groupmod -g " + args.gid() + " " + (args.nonUnique() ? "-o " : "") + q))
             .diff(Diff.of("group " + args.name(), "gid " + gid + "\n", "gid " + args.gid() + "\n"));
        }
        if (args.present()) {
            b.result("system", args.system());
            if (gid >= 0 || args.gid() != null) b.result("gid", args.gid() != null ? args.gid() : gid);
        }
        if (!b.hasSteps()) return b.build();
        b.undo(new Undo.RestorePath("/etc/group")).undo(new Undo.RestorePath("/etc/gshadow"));
        return b.touches(Accounts.TOUCH).touches("file:/etc/group").touches("file:/etc/gshadow").build();
    }
}
