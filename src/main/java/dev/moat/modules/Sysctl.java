package dev.moat.modules;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import dev.moat.modules.system.Sysctls;
import dev.moat.transport.Sh;

/**
 * A kernel parameter in a sysctl file and, live, in {@code /proc/sys}: Ansible's
 * {@code ansible.posix.sysctl}. The file is rewritten as Ansible rewrites it (atomically, through
 * {@link FileWrite}) when the key's value there differs; {@code reload} then runs
 * {@code sysctl -p FILE}, and {@code sysctl_set} sets the live value with {@code sysctl -w}.
 * The undo restores the file byte for byte and the live value of every key the change sets
 * ({@link Undo.RestoreSysctl}, read before the change).
 *
 * <pre>
 * - sysctl:
 *     name: net.ipv4.ip_forward
 *     value: "1"
 *     sysctl_file: /etc/sysctl.d/90-moat.conf
 *     sysctl_set: true
 * </pre>
 */
public final class Sysctl implements Module<Sysctl.SysctlArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING).withAliases("key"),
            ArgSpec.optional("value", ArgType.STRING).withAliases("val"),
            ArgSpec.choice("state", "present", "present", "absent"),
            ArgSpec.optional("reload", ArgType.BOOL, true),
            ArgSpec.optional("sysctl_set", ArgType.BOOL, false),
            ArgSpec.optional("ignoreerrors", ArgType.BOOL, false),
            ArgSpec.optional("sysctl_file", ArgType.STRING, "/etc/sysctl.conf"));

    /** Validated arguments; {@code value} is Ansible's parsed value (booleans as 1 and 0), null when absent. */
    public record SysctlArgs(String name, String value, boolean present, boolean reload, boolean set, boolean ignoreErrors,
                             String file) {}

    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f");

    @Override
    public String name() {
        return "sysctl";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public SysctlArgs bind(Args a) throws ArgException {
        String name = a.str("name").strip();
        if (name.isEmpty()) throw new ArgException("name", "name cannot be blank");
        if (!Sysctls.isName(name)) throw new ArgException("name", "'" + name + "' is not a kernel parameter name");
        boolean present = "present".equals(a.str("state"));
        String value = a.str("value");
        if (present && value == null) throw new ArgException("value", "state is present but all of the following are missing: value");
        if (value != null) {
            String low = value.strip().toLowerCase(java.util.Locale.ROOT);
            value = TRUE.contains(low) ? "1" : FALSE.contains(low) ? "0" : value.strip();
            if (present && value.isEmpty()) throw new ArgException("value", "value cannot be blank");
            if (value.indexOf('\n') >= 0) throw new ArgException("value", "a sysctl value is one line");
        }
        String file = a.str("sysctl_file");
        if (!file.startsWith("/")) throw new ArgException("sysctl_file", "sysctl_file must be an absolute path: '" + file + "'");
        return new SysctlArgs(name, value, present, a.bool("reload"), a.bool("sysctl_set"), a.bool("ignoreerrors"), file);
    }

    @Override
    public List<Fact<?>> reads(SysctlArgs args) {
        return List.of(new FileFact(args.file()), new FileFact(FileWrite.parentOf(args.file())), new SysctlFact(args.file(), args.name()));
    }

    @Override
    public Plan plan(SysctlArgs args, Facts facts, PlanContext ctx) throws TaskException {
        FileState cur = facts.get(new FileFact(args.file()));
        FileState parent = facts.get(new FileFact(FileWrite.parentOf(args.file())));
        Map<String, String> live = facts.get(new SysctlFact(args.file(), args.name()));
        if (cur.exists() && !cur.isFile()) throw new TaskException(args.file() + " is not a regular file");
        if (cur.isFile() && cur.text() == null) throw new TaskException(args.file() + " is not a text file moat can edit");
        String text = cur.isFile() ? cur.text() : "";
        String inFile = Sysctls.values(text).get(args.name());
        String proc = live.get(args.name());
        String want = args.present() ? args.value() : null;
        // Ansible's decision, in its order.
        boolean writeFile = args.present() ? !args.value().equals(inFile) : inFile != null;
        boolean changed = writeFile || args.reload() && args.present() && !Sysctls.same(proc, args.value());
        boolean setProc = args.set() && args.present() && proc != null && !Sysctls.same(proc, args.value());
        String e = args.ignoreErrors() ? " -e" : "";
        Plan.Builder b = Plan.builder();
        if (setProc) b.step(Step.run("set " + args.name(), "sysctl" + e + " -w " + Sh.q(args.name() + "=" + args.value()) + " >/dev/null"));
        if (writeFile) {
            byte[] after = Sysctls.rewrite(text, args.name(), want).getBytes(StandardCharsets.UTF_8);
            FileWrite.plan(b, args.file(), after, Attrs.NONE, null, cur, parent, ctx.check());
        }
        boolean reload = changed && args.reload();
        if (reload) b.step(Step.run("reload " + args.file(), "sysctl" + e + " -p " + Sh.q(args.file()) + " >/dev/null"));
        if (!b.hasSteps()) return b.build();
        if (proc != null && (setProc || reload) && want != null && !Sysctls.same(proc, want)) {
            b.diff(Diff.of("sysctl " + args.name(), proc + "\n", want + "\n"));
        }
        // Put back every live value the change may set: the key, and with a reload every key of the file.
        for (Map.Entry<String, String> v : live.entrySet()) {
            boolean own = v.getKey().equals(args.name());
            if ((own && (setProc || reload)) || (!own && reload)) b.undo(new Undo.RestoreSysctl(v.getKey(), v.getValue()));
        }
        b.touches("sysctl:" + args.file());
        return b.build();
    }
}
