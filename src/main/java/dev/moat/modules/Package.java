package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

import dev.moat.facts.CommandFact;
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
 * Ansible's generic {@code package}: on a Debian host it is {@link Apt}, with every argument passed
 * through as Ansible's action passes them to the package manager it picks. {@code use} may be
 * {@code auto} or {@code apt}; any other manager ({@code dnf}, {@code yum}, ...) is refused by name.
 * Arguments only other managers take ({@code enablerepo}, {@code disable_gpg_check}, ...) load, so a
 * role's RedHat branch does not stop a Debian user, and fail on a host that reaches them, as apt
 * fails them under Ansible. A host without {@code apt-get} fails the task, naming it.
 *
 * <pre>
 * - package:
 *     name: [fail2ban, unattended-upgrades]
 *     state: present
 * </pre>
 */
public final class Package implements Module<Apt.AptArgs> {
    /** Arguments of dnf, yum and zypper that roles pass to {@code package} in their other branches. */
    static final List<String> OTHER_MANAGERS = List.of("enablerepo", "disablerepo", "disable_gpg_check", "exclude",
            "security", "bugfix", "conf_file", "installroot", "releasever", "skip_broken", "update_only", "validate_certs",
            "download_only", "download_dir", "install_weak_deps", "disable_plugin", "enable_plugin", "disable_excludes",
            "allowerasing", "nobest", "cacheonly", "sslverify", "list", "update_cache_only", "extra_args", "type",
            "replacefiles", "oldpackage", "force_resolution", "disable_recommends");
    static final CommandFact APT_GET = new CommandFact("cmd:apt-get", "command -v apt-get || :");
    static final Spec SPEC = buildSpec();

    private final Apt apt = new Apt();

    private static Spec buildSpec() {
        List<ArgSpec> args = new ArrayList<>(Apt.SPEC.args());
        args.add(ArgSpec.optional("use", ArgType.STRING, "auto"));
        for (String n : OTHER_MANAGERS) args.add(ArgSpec.optional(n, ArgType.RAW));
        return new Spec(args, null, Apt.SPEC.exclusive(), List.of());
    }

    @Override
    public String name() {
        return "package";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public Apt.AptArgs bind(Args a) throws ArgException {
        String use = a.str("use");
        if (!use.equals("auto") && !use.equals("apt") && !use.equals("ansible.builtin.apt") && !use.equals("ansible.legacy.apt")) {
            throw new ArgException("use", "use: " + use + " is not supported by moat: package runs apt (Debian and Ubuntu hosts)");
        }
        for (String n : OTHER_MANAGERS) {
            if (a.has(n)) throw new ArgException(n, "package: " + n + " is not an apt argument (on this host package runs apt, which does not take it)");
        }
        return apt.bind(a);
    }

    @Override
    public List<Fact<?>> reads(Apt.AptArgs args) {
        List<Fact<?>> r = new ArrayList<>(apt.reads(args));
        r.add(0, APT_GET);
        return r;
    }

    @Override
    public Plan plan(Apt.AptArgs args, Facts facts, PlanContext ctx) throws TaskException {
        if (facts.get(APT_GET).stdout().isBlank()) {
            throw new TaskException("package: this host has no apt-get; moat's package runs apt only (dnf, yum, zypper and others are not supported)");
        }
        return apt.plan(args, facts, ctx);
    }
}
