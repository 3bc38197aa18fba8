package dev.moat.modules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.moat.compose.ComposeSearch;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.FactKeys;
import dev.moat.module.FactOutput;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.scan.AuditOutput;
import dev.moat.scan.AuditScript;
import dev.moat.scan.Finding;
import dev.moat.scan.InsideAudit;
import dev.moat.scan.ScanSettings;
import dev.moat.scan.Verdict;

/**
 * The hardening's last word, run on the host: {@code moat scan --inside} as a task. Nothing may
 * listen on or forward an AI port to a non-loopback address where other hosts can reach it: no
 * container publishing one outside loopback (unless the {@code ufw_docker} guard drops it), no
 * Docker DNAT rule for one, no compose file publishing one, no host process or
 * {@code OLLAMA_HOST=0.0.0.0} that UFW lets in. Each EXPOSED finding fails the task, named with the
 * fix, so the play rolls back instead of reporting success. Reads only; in a check run a finding is
 * drift (the task would fail), never "in sync".
 *
 * <p>Its read is the audit script, declared as a fact that any change on the host makes stale: the
 * verdict is on the host as the earlier tasks left it, and a run that changed nothing reads it in
 * the play's one round trip.
 *
 * <pre>
 * - exposure:
 *     extra_ports: "{{ vault_services | map(attribute='port') | list }}"   # beside the scan's AI ports
 *     search: [/opt, /srv, /home, /root]                                  # where compose files are
 * </pre>
 */
public final class Exposure implements Module<Exposure.ExposureArgs> {
    private static final Spec SPEC = Spec.of(
            ArgSpec.optional("ports", ArgType.LIST),
            ArgSpec.optional("extra_ports", ArgType.LIST),
            ArgSpec.optional("search", ArgType.LIST));

    /** @param ports the AI ports checked; {@code search} where compose files are looked for */
    public record ExposureArgs(Set<Integer> ports, ComposeSearch search) {
        public ExposureArgs {
            ports = Set.copyOf(ports);
        }
    }

    /** The audit script as a read; keyed {@code host:} so that any change on the host makes it stale. */
    record AuditFact(ComposeSearch search) implements Fact<AuditOutput> {
        @Override
        public String key() {
            return FactKeys.HOST + "inside-audit " + String.join(",", search.dirs());
        }

        @Override
        public String script() {
            return AuditScript.script(search);
        }

        @Override
        public AuditOutput parse(FactOutput out) throws TaskException {
            try {
                return AuditOutput.parse(out.text());
            } catch (IllegalArgumentException e) {
                throw new TaskException("the exposure audit's output could not be read: " + e.getMessage());
            }
        }
    }

    @Override
    public String name() {
        return "exposure";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public ExposureArgs bind(Args a) throws ArgException {
        Set<Integer> ports = new LinkedHashSet<>(a.has("ports") ? ports(a, "ports") : ScanSettings.AI_PORTS);
        if (a.has("extra_ports")) ports.addAll(ports(a, "extra_ports"));
        List<String> dirs = new ArrayList<>();
        for (String d : a.strings("search")) {
            if (!d.startsWith("/") || d.indexOf('\n') >= 0) throw new ArgException("search", "search: '" + d + "' is not an absolute path");
            dirs.add(d);
        }
        return new ExposureArgs(ports, new ComposeSearch(dirs.isEmpty() ? ComposeSearch.DEFAULT_DIRS : dirs, ComposeSearch.DEFAULT_DEPTH));
    }

    private static List<Integer> ports(Args a, String name) throws ArgException {
        List<Integer> out = new ArrayList<>();
        for (String s : a.strings(name)) {
            try {
                int p = Integer.parseInt(s.trim());
                if (p < 1 || p > 65535) throw new NumberFormatException();
                out.add(p);
            } catch (NumberFormatException e) {
                throw new ArgException(name, name + ": '" + s + "' is not a port (1-65535)");
            }
        }
        return out;
    }

    @Override
    public List<Fact<?>> reads(ExposureArgs args) {
        return List.of(new AuditFact(args.search()));
    }

    @Override
    public Plan plan(ExposureArgs args, Facts facts, PlanContext ctx) throws TaskException {
        AuditOutput out = facts.get(new AuditFact(args.search()));
        List<Finding> exposed = new ArrayList<>();
        for (Finding f : InsideAudit.findings(ctx.host(), out, args.ports())) if (f.verdict() == Verdict.EXPOSED) exposed.add(f);
        if (exposed.isEmpty()) return Plan.converged().withMessage("no AI port reachable from other hosts");
        String what = describe(exposed);
        if (ctx.check()) return Plan.builder().step(Step.run("would fail: " + what, "exit 1")).build();
        throw new TaskException(what);
    }

    /** The findings, one per line: what is reachable and what closes it. */
    static String describe(List<Finding> exposed) {
        StringBuilder s = new StringBuilder(exposed.size() + " AI port exposure(s) remain reachable from other hosts:");
        for (Finding f : exposed) {
            s.append("\n  ").append(f.check()).append(": ").append(f.detail());
            if (f.fix() != null) s.append(" (fix: ").append(f.fix()).append(')');
        }
        return s.toString();
    }
}
