package dev.moat.modules;

import java.util.List;
import java.util.Map;

import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.TaskException;

/**
 * Fails the host with {@code msg} (Ansible's default: "Failed as requested from task"). Runs on
 * the controller and changes nothing; usually guarded by {@code when}.
 *
 * <pre>
 * - fail:
 *     msg: "vault_services is empty on {{ inventory_hostname }}"
 *   when: vault_services | length == 0
 * </pre>
 */
public final class Fail implements Module<Fail.FailArgs> {
    static final Spec SPEC = Spec.of(ArgSpec.optional("msg", ArgType.RAW));

    /** The message to fail with. */
    public record FailArgs(String msg) {}

    @Override
    public String name() {
        return "fail";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public FailArgs bind(Args a) throws ArgException {
        Object m = a.raw("msg");
        return new FailArgs(m == null ? "Failed as requested from task" : m instanceof String s ? s : Debug.show(m));
    }

    @Override
    public List<Fact<?>> reads(FailArgs args) {
        return List.of();
    }

    @Override
    public Plan plan(FailArgs args, Facts facts, PlanContext ctx) throws TaskException {
        throw new TaskException(args.msg());
    }
}
