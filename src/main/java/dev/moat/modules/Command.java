package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.facts.ExistsFact;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.ReadOnlyRun;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.transport.Sh;

/**
 * Runs a program on the host: {@code command} without a shell (the words of {@code cmd}, or
 * {@code argv}, each quoted, so no pipes, redirections or {@code $VARS}), {@code shell} through
 * {@code sh -c}. Always "changed" unless {@code creates} exists or {@code removes} does not (paths on
 * the host, relative ones under {@code chdir}). In check mode it does not run and reports skipped,
 * unless creates/removes decide. Its output lands in the registered result ({@code rc},
 * {@code stdout}, {@code stderr}) from the engine. It cannot be undone: marked irreversible.
 *
 * <pre>
 * - command: certbot renew --dry-run
 * - shell: ./install.sh | tee install.log
 *   args:
 *     chdir: /opt/vllm
 *     creates: /opt/vllm/.done
 * </pre>
 */
public final class Command implements Module<Command.CommandArgs>, ReadOnlyRun<Command.CommandArgs> {
    private final boolean shell;

    /** Validated arguments; {@code script} is what {@code sh -c} runs, already quoted where needed. */
    public record CommandArgs(String script, String shown, String chdir, String creates, String removes, byte[] stdin) {}

    private Command(boolean shell) {
        this.shell = shell;
    }

    public static Command command() {
        return new Command(false);
    }

    public static Command shell() {
        return new Command(true);
    }

    @Override
    public String name() {
        return shell ? "shell" : "command";
    }

    @Override
    public Spec spec() {
        List<ArgSpec> args = new ArrayList<>(List.of(
                ArgSpec.optional("cmd", ArgType.STRING),
                ArgSpec.optional("chdir", ArgType.STRING),
                ArgSpec.optional("creates", ArgType.STRING),
                ArgSpec.optional("removes", ArgType.STRING),
                ArgSpec.optional("stdin", ArgType.STRING),
                ArgSpec.optional("stdin_add_newline", ArgType.BOOL, true)));
        if (!shell) args.add(ArgSpec.optional("argv", ArgType.LIST));
        Spec s = new Spec(args, "cmd", List.of(), List.of());
        return shell ? s.oneOf("cmd") : s.exclusive("cmd", "argv").oneOf("cmd", "argv");
    }

    @Override
    public CommandArgs bind(Args a) throws ArgException {
        String script;
        String shown;
        if (shell) {
            script = a.str("cmd");
            shown = script;
        } else {
            List<String> words;
            if (a.str("cmd") != null) {
                try {
                    words = Shlex.split(a.str("cmd"));
                } catch (IllegalArgumentException e) {
                    throw new ArgException("cmd", "cannot split cmd into words: " + e.getMessage());
                }
            } else {
                words = a.strings("argv");
            }
            if (words.isEmpty()) throw new ArgException(a.has("argv") ? "argv" : "cmd", "the command is empty");
            List<String> q = new ArrayList<>();
            for (String w : words) q.add(Sh.q(w));
            script = String.join(" ", q);
            shown = a.str("cmd") != null ? a.str("cmd") : script;
        }
        if (script.isBlank()) throw new ArgException("cmd", "the command is empty");
        String chdir = a.str("chdir");
        if (chdir != null && chdir.isEmpty()) throw new ArgException("chdir", "chdir is empty");
        byte[] stdin = null;
        if (a.str("stdin") != null) {
            String in = a.str("stdin") + (a.bool("stdin_add_newline") ? "\n" : "");
            stdin = in.getBytes(StandardCharsets.UTF_8);
        }
        return new CommandArgs(script, shown, chdir, under(chdir, a.str("creates")), under(chdir, a.str("removes")), stdin);
    }

    private static String under(String chdir, String p) {
        if (p == null || p.startsWith("/") || chdir == null) return p;
        return (chdir.endsWith("/") ? chdir : chdir + "/") + p;
    }

    @Override
    public List<Fact<?>> reads(CommandArgs args) {
        List<Fact<?>> r = new ArrayList<>();
        if (args.creates() != null) r.add(new ExistsFact(args.creates()));
        if (args.removes() != null) r.add(new ExistsFact(args.removes()));
        return r;
    }

    @Override
    public Plan plan(CommandArgs args, Facts facts, PlanContext ctx) throws TaskException {
        if (args.creates() != null && facts.get(new ExistsFact(args.creates()))) {
            return skippedBy("skipped, since " + args.creates() + " exists");
        }
        if (args.removes() != null && !facts.get(new ExistsFact(args.removes()))) {
            return skippedBy("skipped, since " + args.removes() + " does not exist");
        }
        if (ctx.check() && args.creates() == null && args.removes() == null) {
            return Plan.skipped(name() + " does not run in check mode (no creates/removes to decide)");
        }
        String script = script(args);
        return Plan.builder()
                .step(new Step(name() + ": " + args.shown(), script, args.stdin(), false))
                .undo(new Undo.Irreversible(name() + ": " + args.shown()))
                .touches("*")
                .build();
    }

    private static String script(CommandArgs args) {
        return args.chdir() == null ? args.script() : "cd -- " + Sh.q(args.chdir()) + " || exit 1\n" + args.script();
    }

    @Override
    public Run asRead(CommandArgs args, String exports) {
        if (args.stdin() != null || args.creates() != null || args.removes() != null) return null;
        return Run.of(exports + script(args), name() + ": " + args.shown());
    }

    /** Converged because creates/removes said so; the registered result reads as Ansible's. */
    private static Plan skippedBy(String msg) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("msg", msg);
        r.put("rc", 0);
        r.put("stdout", msg);
        r.put("stdout_lines", List.of(msg));
        r.put("stderr", "");
        r.put("stderr_lines", List.of());
        return Plan.converged().withResult(r);
    }
}
