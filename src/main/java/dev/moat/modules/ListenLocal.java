package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.facts.FileState;
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
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.listen.EnvFilesFact;
import dev.moat.scan.AuditScript;
import dev.moat.scan.InsideAudit;
import dev.moat.transport.Sh;

/**
 * AI servers that run as host processes listen on loopback, behind the vault: {@code ollama serve}
 * with {@code OLLAMA_HOST=0.0.0.0} and Gradio apps with {@code GRADIO_SERVER_NAME=0.0.0.0}, set
 * where systemd reads them (a unit, its drop-ins, the files its {@code EnvironmentFile=} names,
 * {@code /etc/default}), get {@code bind} instead, keeping scheme and port
 * ({@code 0.0.0.0:11434} becomes {@code 127.0.0.1:11434}); each changed file is written atomically
 * and journaled, and the units that read it are restarted (undo: the file back, the unit restarted
 * again). Where systemd does not run, the files are fixed and nothing is restarted (the plan says so).
 * A process started some other way is left to UFW, and the {@code exposure} check says if UFW lets it in.
 *
 * <pre>
 * - listen_local: {}                     # vars: [OLLAMA_HOST, GRADIO_SERVER_NAME], bind: 127.0.0.1
 * </pre>
 */
public final class ListenLocal implements Module<ListenLocal.ListenArgs> {
    static final List<String> VARS = List.of("OLLAMA_HOST", "GRADIO_SERVER_NAME");

    private static final Spec SPEC = Spec.of(
            ArgSpec.optional("vars", ArgType.LIST),
            ArgSpec.optional("bind", ArgType.STRING, "127.0.0.1"));

    public record ListenArgs(List<String> vars, String bind) {
        public ListenArgs {
            vars = List.copyOf(vars);
        }
    }

    @Override
    public String name() {
        return "listen_local";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public ListenArgs bind(Args a) throws ArgException {
        List<String> vars = a.has("vars") ? a.strings("vars") : VARS;
        for (String v : vars) if (!v.matches("[A-Z_][A-Z0-9_]*")) throw new ArgException("vars", "vars: '" + v + "' is not an environment variable name");
        String bind = a.str("bind", "127.0.0.1");
        if (!bind.matches("[0-9.]+|[0-9A-Fa-f:]+") || InsideAudit.allInterfaces(bind)) {
            throw new ArgException("bind", "bind: '" + bind + "' is not a loopback address (127.0.0.1 or ::1)");
        }
        return new ListenArgs(vars, bind);
    }

    @Override
    public List<Fact<?>> reads(ListenArgs args) {
        return List.of(fact(args));
    }

    private static EnvFilesFact fact(ListenArgs args) {
        return new EnvFilesFact(args.vars(), AuditScript.UNIT_DIRS);
    }

    @Override
    public Plan plan(ListenArgs args, Facts facts, PlanContext ctx) throws TaskException {
        EnvFilesFact.Found found = facts.get(fact(args));
        if (!found.tooBig().isEmpty()) {
            throw new TaskException("too big to edit (over 64 KiB): " + String.join(", ", found.tooBig()));
        }
        Plan.Builder b = Plan.builder();
        Set<String> restart = new LinkedHashSet<>();
        for (EnvFilesFact.EnvFile f : found.files()) {
            String before = new String(f.state().content(), StandardCharsets.UTF_8);
            String after = rewrite(before, args.vars(), args.bind());
            if (after.equals(before)) continue;
            FileWrite.plan(b, f.state().path(), after.getBytes(StandardCharsets.UTF_8), Attrs.NONE, null, f.state(),
                    directory(f.state().path()), ctx.check());
            for (String u : f.units()) {
                if (!u.matches("[A-Za-z0-9@._-]+")) throw new TaskException(f.state().path() + " is read by a unit moat cannot name safely: '" + u + "'");
                restart.add(u);
            }
        }
        if (!b.hasSteps()) return Plan.converged();
        if (found.systemd() && !restart.isEmpty()) {
            List<String> units = new ArrayList<>(restart);
            StringBuilder s = new StringBuilder("set -e\nsystemctl daemon-reload\n");
            for (String u : units) {
                s.append("systemctl try-restart ").append(Sh.q(u)).append('\n');
                b.undo(new Undo.Reload(u, true));
            }
            b.step(Step.run("restart " + String.join(", ", units), s.toString()));
        } else if (!restart.isEmpty()) {
            b.result("note", "systemd does not run here: " + String.join(", ", restart) + " not restarted");
        }
        return b.build();
    }

    /** A FileWrite needs the parent's state only to see it is a directory: the file was just read inside it. */
    private static FileState directory(String path) {
        String dir = FileWrite.parentOf(path);
        return new FileState(dir, FileState.Type.DIRECTORY, "0755", 0, 0, "root", "root", 0, null, null, null, false);
    }

    /**
     * {@code text} with every uncommented assignment of one of {@code vars} to all interfaces set
     * to {@code bind}, keeping quotes, scheme and port: {@code Environment="OLLAMA_HOST=0.0.0.0"},
     * {@code OLLAMA_HOST=http://0.0.0.0:11434}, {@code export GRADIO_SERVER_NAME='0.0.0.0'}.
     */
    static String rewrite(String text, List<String> vars, String bind) {
        Pattern p = Pattern.compile("(\\b(?:" + String.join("|", vars) + ")[ \\t]*=[ \\t]*)([\"']?)([^\"'\\s]*)");
        StringBuilder out = new StringBuilder();
        for (String line : text.split("(?<=\n)", -1)) {
            if (line.stripLeading().startsWith("#") || line.stripLeading().startsWith(";")) {
                out.append(line);
                continue;
            }
            Matcher m = p.matcher(line);
            StringBuilder l = new StringBuilder();
            while (m.find()) {
                String value = m.group(3);
                String fixed = InsideAudit.allInterfaces(value) ? rebind(value, bind) : value;
                m.appendReplacement(l, Matcher.quoteReplacement(m.group(1) + m.group(2) + fixed));
            }
            m.appendTail(l);
            out.append(l);
        }
        return out.toString();
    }

    /** {@code 0.0.0.0:11434} to {@code 127.0.0.1:11434}; scheme and port kept. */
    static String rebind(String value, String bind) {
        Matcher m = Pattern.compile("^([a-z]+://)?(\\[[^\\]]*\\]|[^:/]*)(:\\d+)?(/.*)?$").matcher(value);
        if (!m.matches()) return bind;
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return (m.group(1) == null ? "" : m.group(1)) + host + (m.group(3) == null ? "" : m.group(3)) + (m.group(4) == null ? "" : m.group(4));
    }
}
