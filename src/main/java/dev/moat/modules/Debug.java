package dev.moat.modules;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * Prints a message ({@code msg}, already rendered) or a variable's value ({@code var}, an
 * expression shown as JSON). Runs on the controller, never changes anything.
 *
 * <pre>
 * - debug:
 *     msg: "vault for {{ inventory_hostname }} on {{ vault_services | length }} services"
 * - debug:
 *     var: vault_services
 * </pre>
 */
public final class Debug implements Module<Debug.DebugArgs> {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("msg", ArgType.RAW),
            ArgSpec.optional("var", ArgType.STRING),
            ArgSpec.optional("verbosity", ArgType.INT, 0))
            .freeForm("msg").exclusive("msg", "var");

    /** Validated arguments: a message or a variable expression. */
    public record DebugArgs(Object msg, String var) {}

    @Override
    public String name() {
        return "debug";
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
    public DebugArgs bind(Args a) throws ArgException {
        if (a.str("var") == null && a.raw("msg") == null) return new DebugArgs("Hello world!", null);
        return new DebugArgs(a.raw("msg"), a.str("var"));
    }

    @Override
    public List<Fact<?>> reads(DebugArgs args) {
        return List.of();
    }

    @Override
    public Plan plan(DebugArgs args, Facts facts, PlanContext ctx) throws TaskException {
        if (args.var() != null) {
            Object v = ctx.eval(args.var());
            return Plan.converged().withResult(Map.of(args.var(), v == null ? "" : v))
                    .withMessage(args.var() + ": " + show(v));
        }
        String text = args.msg() instanceof String ? (String) args.msg() : show(args.msg());
        return Plan.converged().withResult(Map.of("msg", args.msg())).withMessage(text);
    }

    static String show(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return String.valueOf(v);
        }
    }
}
