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
import dev.moat.module.Spec;
import dev.moat.module.TaskException;
import dev.moat.module.FactOutput;
import dev.moat.transport.Sh;

/**
 * Reads a file on the host into the result, base64-encoded ({@code content}, {@code encoding},
 * {@code source}), as Ansible's {@code slurp}; read-only, with no undo. The file travels in the
 * play's read, so files over {@value #MAX_BYTES} bytes are refused rather than pulled whole.
 *
 * <pre>
 * - slurp: {src: /etc/ssh/sshd_config}
 *   register: sshd
 * - debug: {msg: "{{ sshd.content | b64decode }}"}
 * </pre>
 */
public final class Slurp implements Module<Slurp.SlurpArgs> {
    /** The largest file slurp reads: 1 MiB (base64 makes it 1.4 MiB in the read). */
    static final long MAX_BYTES = 1024 * 1024;
    static final Spec SPEC = Spec.of(ArgSpec.required("src", ArgType.STRING).withAliases("path"));

    /** The file to read. */
    public record SlurpArgs(String src) {}

    /** What the read found: a file's base64 content, or why there is none. */
    record Read(String problem, String base64) {}

    /** Reads the file's base64 content, or says why not (missing, a directory, unreadable, too big). */
    record SlurpFact(String path) implements Fact<Read> {
        @Override
        public String key() {
            return "slurp:" + path;
        }

        @Override
        public String script() {
            String p = Sh.q(path);
            return "if [ -d " + p + " ]; then echo dir; elif [ ! -e " + p + " ]; then echo missing; elif [ ! -r " + p + " ]; then echo unreadable;"
                    + " else n=$(wc -c < " + p + ") || exit 1; if [ \"$n\" -gt " + MAX_BYTES + " ]; then echo \"big $n\";"
                    + " else echo ok; base64 < " + p + "; fi; fi";
        }

        @Override
        public Read parse(FactOutput out) throws TaskException {
            String text = out.text();
            int nl = text.indexOf('\n');
            String head = (nl < 0 ? text : text.substring(0, nl)).strip();
            if (out.rc() != 0) throw new TaskException("unable to slurp file: " + path + ": " + out.errText().strip());
            if (head.equals("ok")) return new Read(null, text.substring(nl + 1).replaceAll("\\s", ""));
            return new Read(head, null);
        }
    }

    @Override
    public String name() {
        return "slurp";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public SlurpArgs bind(Args a) throws ArgException {
        String src = a.str("src");
        if (src.isBlank()) throw new ArgException("src", "src: a path is needed");
        return new SlurpArgs(src);
    }

    @Override
    public List<Fact<?>> reads(SlurpArgs args) {
        return List.of(new SlurpFact(args.src()));
    }

    @Override
    public Plan plan(SlurpArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Read r = facts.get(new SlurpFact(args.src()));
        if (r.problem() != null) throw new TaskException(problem(r.problem(), args.src()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("content", r.base64());
        result.put("encoding", "base64");
        result.put("source", args.src());
        return Plan.converged().withResult(result);
    }

    /** Ansible's message for a file slurp cannot read, and moat's for one it will not. */
    static String problem(String what, String path) {
        if (what.equals("dir")) return "source is a directory and must be a file: " + path;
        if (what.equals("missing")) return "file not found: " + path;
        if (what.equals("unreadable")) return "file is not readable: " + path;
        if (what.startsWith("big ")) {
            return "slurp: " + path + " is " + what.substring(4) + " bytes; moat slurps files up to " + MAX_BYTES
                    + " bytes (the whole file travels in the play's read); use fetch for bigger files";
        }
        return "unable to slurp file: " + path + ": " + what;
    }
}
