package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.moat.facts.FileFact;
import dev.moat.facts.FileState;
import dev.moat.journal.Undo;
import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Diff;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.system.SysctlFact;
import dev.moat.transport.Sh;

/**
 * The host's name, as Ansible's {@code hostname} with its {@code debian} and {@code systemd}
 * strategies: the permanent name in /etc/hostname (written through {@link FileWrite}) and the
 * live one, the kernel's {@code kernel.hostname}, set with {@code hostname NAME}. Changed when
 * either differs. Undo: /etc/hostname restored byte for byte, and the live name set back
 * ({@link Undo.RestoreSysctl} of {@code kernel.hostname}). Other strategies are refused by name.
 *
 * <pre>
 * - hostname:
 *     name: gpu-01
 * </pre>
 */
public final class Hostname implements Module<Hostname.HostnameArgs> {
    static final String FILE = "/etc/hostname";
    static final String LIVE = "kernel.hostname";

    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING),
            ArgSpec.choice("use", null, "alpine", "debian", "freebsd", "generic", "macos", "macosx", "darwin", "openbsd",
                    "openrc", "redhat", "sles", "solaris", "systemd"));

    /** Validated arguments. */
    public record HostnameArgs(String name) {}

    @Override
    public String name() {
        return "hostname";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public HostnameArgs bind(Args a) throws ArgException {
        String use = a.str("use");
        if (use != null && !use.equals("debian") && !use.equals("systemd")) {
            throw new ArgException("use", "use: " + use + " is not supported by moat: it sets the name the debian and systemd ways (/etc/hostname and the kernel's)");
        }
        String name = a.str("name").strip();
        if (name.length() > 253 || !name.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
            throw new ArgException("name", "'" + name + "' is not a host name (letters, digits, '-' and '.')");
        }
        return new HostnameArgs(name);
    }

    @Override
    public List<Fact<?>> reads(HostnameArgs args) {
        return List.of(new FileFact(FILE), new FileFact("/etc"), new SysctlFact(FILE, LIVE));
    }

    @Override
    public Plan plan(HostnameArgs args, Facts facts, PlanContext ctx) throws TaskException {
        FileState file = facts.get(new FileFact(FILE));
        Map<String, String> live = facts.get(new SysctlFact(FILE, LIVE));
        String current = live.get(LIVE);
        String permanent = file.isFile() && file.text() != null ? file.text().strip() : "";
        Plan.Builder b = Plan.builder().result("name", args.name());
        if (!permanent.equals(args.name())) {
            FileWrite.plan(b, FILE, (args.name() + "\n").getBytes(StandardCharsets.UTF_8), Attrs.NONE, null, file, facts.get(new FileFact("/etc")), ctx.check());
        }
        if (!args.name().equals(current)) {
            b.step(Step.run("set the live host name", "hostname " + Sh.q(args.name())));
            b.diff(Diff.of("hostname", (current == null ? "" : current) + "\n", args.name() + "\n"));
            if (current != null) b.undo(new Undo.RestoreSysctl(LIVE, current));
            b.touches("sysctl:" + FILE);
        }
        return b.build();
    }
}
