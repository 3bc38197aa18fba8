package dev.moat.modules;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.facts.PackagesFact;
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
 * The installed packages as facts, as Ansible's {@code package_facts}: {@code ansible_facts.packages}
 * (and {@code packages}), each name a list of its installed versions, read from dpkg
 * ({@link PackagesFact}) in the play's batched read. {@code manager} is {@code auto} or {@code apt};
 * Ansible's other managers are refused by name. Read-only: nothing to undo.
 *
 * <pre>
 * - package_facts: {manager: auto}
 * - debug:
 *     msg: "nvidia driver {{ ansible_facts.packages['nvidia-driver'][0].version }}"
 *   when: "'nvidia-driver' in ansible_facts.packages"
 * </pre>
 */
public final class PackageFacts implements Module<PackageFacts.PackageFactsArgs> {
    private static final Set<String> ANSIBLE_MANAGERS = Set.of("rpm", "yum", "dnf", "zypper", "pacman", "pkg", "pkgng",
            "portage", "apk", "pkg_info", "openbsd_pkg");
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("manager", ArgType.LIST, List.of("auto")),
            ArgSpec.choice("strategy", "first", "first", "all"));

    /** The managers as given (for Ansible's message when none is found). */
    public record PackageFactsArgs(List<String> managers) {}

    @Override
    public String name() {
        return "package_facts";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public PackageFactsArgs bind(Args a) throws ArgException {
        List<String> managers = a.strings("manager").stream().map(String::strip).toList();
        for (String m : managers) {
            if (m.equals("auto") || m.equals("apt")) continue;
            throw new ArgException("manager", ANSIBLE_MANAGERS.contains(m)
                    ? "'" + m + "' is not supported by moat: only apt (and auto, which finds apt)"
                    : "unknown package manager '" + m + "'");
        }
        return new PackageFactsArgs(managers.isEmpty() ? List.of("auto") : managers);
    }

    @Override
    public List<Fact<?>> reads(PackageFactsArgs args) {
        return List.of(new PackagesFact());
    }

    @Override
    public Plan plan(PackageFactsArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Map<String, List<Map<String, Object>>> packages = facts.get(new PackagesFact());
        if (packages == null) {
            throw new TaskException("Could not detect a supported package manager from the following list: "
                    + args.managers().stream().map(m -> "'" + m + "'").toList() + ", or the required Python library is not installed."
                    + " Check warnings for details.");
        }
        return Plan.converged().withResult(Map.of("ansible_facts", Map.of("packages", packages)));
    }
}
