package dev.moat.modules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.FactOutput;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Step;
import dev.moat.module.TaskException;

/**
 * This machine as a host: fact scripts and plan steps run for real through {@code sh -c} (dash on
 * Debian), the way the engine runs them remotely, so tests prove the shell is right, not just the strings.
 */
public final class LocalHost {
    private LocalHost() {}

    /** What a host prints for {@code script} with {@code stdin}. */
    public static FactOutput sh(String script, byte[] stdin) {
        try {
            Process p = new ProcessBuilder("sh", "-c", script).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin == null ? new byte[0] : stdin);
            } catch (IOException ignored) {
                // the script did not read its stdin
            }
            int rc = p.waitFor();
            return new FactOutput(rc, out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FactOutput read(Fact<?> fact) {
        return sh(fact.script(), null);
    }

    /** Reads every fact the module declares for {@code args}, as the engine's batch would. */
    public static <A> FakeFacts facts(Module<A> module, A args) {
        FakeFacts f = new FakeFacts();
        for (Fact<?> fact : module.reads(args)) f.put(fact.key(), read(fact));
        return f;
    }

    /** Runs a plan's steps in order; the first failing one ends it and is returned (null when all passed). */
    public static FactOutput execute(Plan plan) {
        for (Step s : plan.steps()) {
            FactOutput r = sh(s.script(), s.stdin());
            if (r.rc() != 0) return r;
        }
        return null;
    }

    public static <A> A bind(Module<A> module, Map<String, ?> raw) throws ArgException {
        return module.bind(Args.check(module.spec(), raw));
    }

    public static <A> Plan plan(Module<A> module, A args, PlanContext ctx) throws TaskException {
        return module.plan(args, facts(module, args), ctx);
    }

    /**
     * Plans, applies for real, re-reads and plans again: returns the first plan after asserting the
     * second is empty (converged after apply).
     */
    public static <A> Plan converge(Module<A> module, Map<String, ?> raw, PlanContext ctx) throws Exception {
        A args = bind(module, raw);
        Plan first = plan(module, args, ctx);
        FactOutput failed = execute(first);
        if (failed != null) throw new AssertionError("step failed rc=" + failed.rc() + ": " + failed.errText() + "\nplan: " + first.steps());
        Plan second = plan(module, args, ctx);
        if (second.changes()) throw new AssertionError("not converged after apply; second plan: " + second.steps());
        return first;
    }
}
