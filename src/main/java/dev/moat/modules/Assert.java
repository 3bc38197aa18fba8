package dev.moat.modules;

import java.util.Collection;
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
 * Checks that each expression in {@code that} is true (Jinja truthiness), failing the host on the
 * first false one with {@code fail_msg} and the expression. Runs on the controller.
 *
 * <pre>
 * - assert:
 *     that:
 *       - vault_services | length > 0
 *       - acme_email is defined or not tls
 *     fail_msg: set vault_services and acme_email in the inventory
 *     quiet: true
 * </pre>
 */
public final class Assert implements Module<Assert.AssertArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("that", ArgType.LIST),
            ArgSpec.optional("fail_msg", ArgType.STRING).withAliases("msg"),
            ArgSpec.optional("success_msg", ArgType.STRING),
            ArgSpec.optional("quiet", ArgType.BOOL, false));

    /** Validated arguments. */
    public record AssertArgs(List<String> that, String failMsg, String successMsg, boolean quiet) {}

    @Override
    public String name() {
        return "assert";
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
    public AssertArgs bind(Args a) throws ArgException {
        List<String> that = a.strings("that");
        if (that.isEmpty()) throw new ArgException("that", "that needs at least one expression");
        for (String t : that) if (t.isBlank()) throw new ArgException("that", "an expression in that is empty");
        return new AssertArgs(List.copyOf(that), a.str("fail_msg"), a.str("success_msg"), a.bool("quiet"));
    }

    @Override
    public List<Fact<?>> reads(AssertArgs args) {
        return List.of();
    }

    @Override
    public Plan plan(AssertArgs args, Facts facts, PlanContext ctx) throws TaskException {
        for (String expr : args.that()) {
            if (!truthy(ctx.eval(expr))) {
                String head = args.failMsg() != null ? args.failMsg() : "Assertion failed";
                throw new TaskException(head + " (false: " + expr + ")");
            }
        }
        String msg = args.successMsg() != null ? args.successMsg() : "All assertions passed";
        Plan p = Plan.converged().withResult(Map.of("msg", msg));
        return args.quiet() ? p : p.withMessage(msg);
    }

    /** Jinja's truthiness, as the templating engine defines it. */
    static boolean truthy(Object v) {
        return dev.moat.template.Templar.truthy(v);
    }
}
