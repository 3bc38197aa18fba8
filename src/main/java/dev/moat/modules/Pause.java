package dev.moat.modules;

import java.io.Console;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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
import dev.moat.module.Spec;
import dev.moat.module.TaskException;

/**
 * Ansible's {@code pause}: waits {@code seconds} or {@code minutes} on the controller (anywhere,
 * check mode included), or with {@code prompt} asks the operator and returns {@code user_input};
 * a prompt needs a terminal and is refused without one, never answered by guessing. Changes nothing.
 *
 * <pre>
 * - pause: {seconds: 30}
 * - pause: {prompt: "Check the vault answers on https://gpu1.example.com, then press enter"}
 * </pre>
 */
public final class Pause implements Module<Pause.PauseArgs> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("seconds", ArgType.STRING),
            ArgSpec.optional("minutes", ArgType.STRING),
            ArgSpec.optional("prompt", ArgType.STRING),
            ArgSpec.optional("echo", ArgType.BOOL, true))
            .exclusive("seconds", "minutes");

    /** Validated arguments: a wait in seconds (null: wait for the operator), a prompt or null. */
    public record PauseArgs(Double seconds, boolean minutes, String prompt, boolean echo) {}

    /** Where the operator answers a prompt; null when moat runs without a terminal. */
    interface Terminal {
        String readLine(String prompt, boolean echo);
    }

    private final Terminal terminal;

    public Pause() {
        Console c = System.console();
        this.terminal = c == null ? null : (prompt, echo) -> echo ? c.readLine("%s", prompt) : new String(c.readPassword("%s", prompt));
    }

    Pause(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public String name() {
        return "pause";
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
    public PauseArgs bind(Args a) throws ArgException {
        boolean minutes = a.str("minutes") != null;
        String raw = minutes ? a.str("minutes") : a.str("seconds");
        Double n = null;
        if (raw != null) {
            try {
                n = Double.parseDouble(raw.strip()) * (minutes ? 60 : 1);
            } catch (NumberFormatException e) {
                throw new ArgException(minutes ? "minutes" : "seconds", "non-integer value given for prompt duration: " + raw);
            }
        }
        return new PauseArgs(n, minutes, a.str("prompt"), a.bool("echo"));
    }

    @Override
    public List<Fact<?>> reads(PauseArgs args) {
        return List.of();
    }

    @Override
    public Plan plan(PauseArgs args, Facts facts, PlanContext ctx) throws TaskException {
        String input = "";
        LocalDateTime start = LocalDateTime.now();
        long t0 = System.nanoTime();
        if (args.seconds() == null) {
            if (terminal == null) {
                throw new TaskException("pause: waiting for the operator needs a terminal, and moat runs without one here;"
                        + " give seconds: or minutes: instead");
            }
            String prompt = args.prompt() != null ? args.prompt() : "Press enter to continue, Ctrl+C to interrupt";
            String line = terminal.readLine("[" + ctx.host() + "] " + prompt + ":\n", args.echo());
            input = line == null ? "" : line;
        } else {
            try {
                Thread.sleep((long) (args.seconds() * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskException("pause: interrupted");
            }
        }
        double took = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("delta", (int) took);
        r.put("echo", args.echo());
        r.put("rc", 0);
        r.put("start", STAMP.format(start));
        r.put("stop", STAMP.format(LocalDateTime.now()));
        r.put("stdout", String.format("Paused for %s %s", round(args.minutes() ? took / 60 : took), args.minutes() ? "minutes" : "seconds"));
        r.put("user_input", input);
        return Plan.converged().withResult(r);
    }

    private static String round(double v) {
        return String.valueOf(Math.round(v * 100) / 100.0);
    }
}
