package dev.moat.modules;

import java.util.List;

import dev.moat.facts.CommandFact;
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
import dev.moat.transport.Sh;

/**
 * A package's dpkg selection, as Ansible's {@code dpkg_selections}: {@code hold} keeps apt from
 * upgrading it (a GPU driver pinned to the version CUDA needs), {@code install}, {@code deinstall} or
 * {@code purge} mark it for apt. Reads {@code dpkg --get-selections NAME}; a package dpkg does not
 * know reads {@code not present}, as in Ansible 2.14 (2.17 fails it). The result
 * has Ansible's {@code before} and {@code after}.
 *
 * <p>Undo: the previous selection is set again ({@link Undo.RestoreSelection}); a package that had
 * none cannot be put back to having none, and says so.
 *
 * <pre>
 * - dpkg_selections:
 *     name: nvidia-driver
 *     selection: hold
 * </pre>
 */
public final class DpkgSelections implements Module<DpkgSelections.SelectionArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.choice("selection", null, "install", "hold", "deinstall", "purge"));

    /** Validated arguments. */
    public record SelectionArgs(String name, String selection) {}

    @Override
    public String name() {
        return "dpkg_selections";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public SelectionArgs bind(Args a) throws ArgException {
        String name = a.str("name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9+.:_-]*")) throw new ArgException("name", "'" + name + "' is not a Debian package name");
        if (a.str("selection") == null) throw new ArgException("selection", "missing required argument 'selection'");
        return new SelectionArgs(name, a.str("selection"));
    }

    static CommandFact fact(String name) {
        return new CommandFact("dpkgsel:" + name, "LC_ALL=C dpkg --get-selections -- " + Sh.q(name) + " 2>&1; :");
    }

    /** The current selection from {@code dpkg --get-selections}; null when dpkg knows no such package. */
    static String current(String out) {
        if (out.contains("no packages found matching")) return null;
        for (String line : out.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w.length == 2) return w[1];
        }
        return "not present";
    }

    @Override
    public List<Fact<?>> reads(SelectionArgs args) {
        return List.of(fact(args.name()));
    }

    @Override
    public Plan plan(SelectionArgs args, Facts facts, PlanContext ctx) throws TaskException {
        String current = current(facts.get(fact(args.name())).stdout());
        // Ansible 2.14 (recorded): a package dpkg does not know is "not present" and gets the selection;
        // Ansible 2.17 fails it ("Failed to find package ..."). moat follows the recorded answer.
        if (current == null) current = "not present";
        Plan.Builder b = Plan.builder().result("before", current).result("after", args.selection());
        if (current.equals(args.selection())) return b.build();
        b.step(Step.run("dpkg selection " + args.name() + " " + args.selection(),
                "printf '%s\\n' " + Sh.q(args.name() + " " + args.selection()) + " | dpkg --set-selections"));
        b.diff(Diff.of("dpkg selection " + args.name(), current + "\n", args.selection() + "\n"));
        b.undo(current.equals("not present") ? new Undo.Irreversible("dpkg selection of " + args.name() + " (it had none before)")
                : new Undo.RestoreSelection(args.name(), current));
        b.touches("dpkgsel:" + args.name()).touches("pkg:" + args.name());
        return b.build();
    }
}
