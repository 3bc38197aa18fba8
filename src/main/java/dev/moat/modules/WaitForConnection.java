package dev.moat.modules;

import java.util.LinkedHashMap;
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
import dev.moat.module.Reconnect;
import dev.moat.module.Reconnects;
import dev.moat.module.Spec;

/**
 * Ansible's {@code wait_for_connection}: after {@code delay} seconds, tries a fresh connection
 * every {@code sleep} seconds (each at most {@code connect_timeout}) until one logs in and runs a
 * command (Ansible's ping), for at most {@code timeout} seconds; the play goes on over that
 * connection, reading the host afresh. Registers {@code elapsed}. Skipped in check mode, as in
 * Ansible. Changes nothing, so there is nothing to undo.
 *
 * <pre>
 * - wait_for_connection: {delay: 60, timeout: 300}
 * </pre>
 */
public final class WaitForConnection implements Module<WaitForConnection.WaitArgs>, Reconnects<WaitForConnection.WaitArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("connect_timeout", ArgType.INT, 5),
            ArgSpec.optional("delay", ArgType.INT, 0),
            ArgSpec.optional("sleep", ArgType.INT, 1),
            ArgSpec.optional("timeout", ArgType.INT, 600));

    /** Validated arguments, in seconds. */
    public record WaitArgs(int connectTimeout, int delay, int sleep, int timeout) {}

    @Override
    public String name() {
        return "wait_for_connection";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public WaitArgs bind(Args a) throws ArgException {
        for (String k : List.of("connect_timeout", "delay", "sleep")) {
            if (a.integer(k) < 0) throw new ArgException(k, k + ": must not be negative, not " + a.integer(k));
        }
        if (a.integer("timeout") <= 0) throw new ArgException("timeout", "timeout: must be a positive number of seconds, not " + a.integer("timeout"));
        return new WaitArgs(a.integer("connect_timeout"), a.integer("delay"), a.integer("sleep"), a.integer("timeout"));
    }

    @Override
    public List<Fact<?>> reads(WaitArgs args) {
        return List.of();
    }

    @Override
    public Plan plan(WaitArgs a, Facts facts, PlanContext ctx) {
        if (ctx.check()) return Plan.skipped("wait_for_connection: skipping for check_mode");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("elapsed", 0);
        return Plan.converged().withResult(result);
    }

    @Override
    public Reconnect reconnect(WaitArgs a, Facts facts) {
        return new Reconnect(a.delay(), a.timeout(), a.sleep(), false, a.connectTimeout() == 0 ? null : a.connectTimeout(), null, null,
                "true", "wait_for_connection");
    }
}
