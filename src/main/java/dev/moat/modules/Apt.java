package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

import dev.moat.facts.AptCacheFact;
import dev.moat.facts.AptPolicy;
import dev.moat.facts.AptPolicyFact;
import dev.moat.facts.PackageFact;
import dev.moat.facts.PackageState;
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
import dev.moat.transport.Sh;

/**
 * Debian packages: {@code present} installs what is missing (a {@code name=VERSION} pin must match
 * exactly), {@code absent} removes, {@code latest} also upgrades to apt's candidate version (read from
 * the current cache). Runs {@code apt-get} non-interactively, keeping changed config files as they
 * are, and waits up to 120 s for the dpkg lock. {@code update_cache} refreshes the package lists before
 * an install, or on its own when they are older than {@code cache_valid_time} seconds; with nothing to
 * install and no {@code cache_valid_time} it does nothing, so reruns stay quiet.
 *
 * <p>Undo: packages this task newly installs are removed again, and with them every dependency the
 * install brought in (the journal compares dpkg's package states before and right after the
 * install, records that set and purges exactly it, then checks dpkg); removals and upgrades cannot
 * be reversed exactly and are marked {@link Undo.Irreversible} before they run.
 *
 * <pre>
 * - apt:
 *     name: [nginx, apache2-utils, certbot]
 *     state: present
 *     update_cache: true
 *     cache_valid_time: 3600
 * </pre>
 */
public final class Apt implements Module<Apt.AptArgs> {
    static final String APT_GET = "DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=120";
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("name", ArgType.LIST).withAliases("pkg", "package"),
            ArgSpec.choice("state", "present", "present", "absent", "latest", "installed", "removed"),
            ArgSpec.optional("update_cache", ArgType.BOOL, false).withAliases("update-cache"),
            ArgSpec.optional("cache_valid_time", ArgType.INT),
            ArgSpec.optional("purge", ArgType.BOOL, false));

    /** Validated arguments; {@code state} is present, absent or latest; {@code packages} hold optional version pins. */
    public record AptArgs(List<Pkg> packages, String state, boolean updateCache, Integer cacheValidTime, boolean purge) {}

    /** A package name with an optional {@code =VERSION} pin. */
    public record Pkg(String name, String version) {
        String spec() {
            return version == null ? name : name + "=" + version;
        }
    }

    @Override
    public String name() {
        return "apt";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public AptArgs bind(Args a) throws ArgException {
        List<Pkg> pkgs = new ArrayList<>();
        for (String n : a.strings("name")) {
            String name = n.strip();
            String version = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                version = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9+.:_-]*") || (version != null && !version.matches("[A-Za-z0-9.+~:_-]+"))) {
                throw new ArgException("name", "'" + n + "' is not a Debian package name");
            }
            pkgs.add(new Pkg(name, version));
        }
        String state = a.str("state");
        if (state.equals("installed")) state = "present";
        if (state.equals("removed")) state = "absent";
        if (pkgs.isEmpty() && !a.bool("update_cache")) throw new ArgException("name", "apt needs name (or update_cache: true)");
        if (state.equals("latest")) {
            for (Pkg p : pkgs) if (p.version() != null) throw new ArgException("name", "state: latest takes no version pin (" + p.spec() + ")");
        }
        if (a.integer("cache_valid_time") != null && a.integer("cache_valid_time") < 0) {
            throw new ArgException("cache_valid_time", "cache_valid_time must not be negative");
        }
        return new AptArgs(List.copyOf(pkgs), state, a.bool("update_cache"), a.integer("cache_valid_time"), a.bool("purge"));
    }

    @Override
    public List<Fact<?>> reads(AptArgs args) {
        List<Fact<?>> r = new ArrayList<>();
        for (Pkg p : args.packages()) {
            r.add(new PackageFact(p.name()));
            if (args.state().equals("latest")) r.add(new AptPolicyFact(p.name()));
        }
        if (args.updateCache() && args.cacheValidTime() != null) r.add(new AptCacheFact());
        return r;
    }

    @Override
    public Plan plan(AptArgs args, Facts facts, PlanContext ctx) throws TaskException {
        List<String> install = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        List<String> upgrades = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        StringBuilder before = new StringBuilder();
        StringBuilder after = new StringBuilder();
        for (Pkg p : args.packages()) {
            PackageState s = facts.get(new PackageFact(p.name()));
            String now = s.installed() ? s.version() : "absent";
            if (args.state().equals("absent")) {
                if (s.installed()) {
                    remove.add(p.name());
                    before.append(p.name()).append(' ').append(now).append('\n');
                    after.append(p.name()).append(" absent\n");
                }
            } else if (args.state().equals("latest")) {
                AptPolicy pol = facts.get(new AptPolicyFact(p.name()));
                if (!s.installed() || (pol.candidate() != null && !pol.candidate().equals(s.version()))) {
                    install.add(p.name());
                    (s.installed() ? upgrades : fresh).add(s.installed() ? p.name() + " " + s.version() + " -> " + pol.candidate() : p.name());
                    before.append(p.name()).append(' ').append(now).append('\n');
                    after.append(p.name()).append(' ').append(pol.candidate() == null ? "(latest)" : pol.candidate()).append('\n');
                }
            } else if (!s.installed() || (p.version() != null && !p.version().equals(s.version()))) {
                install.add(p.spec());
                (s.installed() ? upgrades : fresh).add(s.installed() ? p.name() + " " + s.version() + " -> " + p.version() : p.name());
                before.append(p.name()).append(' ').append(now).append('\n');
                after.append(p.name()).append(' ').append(p.version() == null ? "(installed)" : p.version()).append('\n');
            }
        }
        boolean stale = args.updateCache() && (args.cacheValidTime() == null
                ? args.packages().isEmpty() : facts.get(new AptCacheFact()) > args.cacheValidTime());
        boolean update = args.updateCache() && (stale || !install.isEmpty());
        Plan.Builder b = Plan.builder();
        if (update) {
            b.step(Step.run("apt-get update", APT_GET + " update && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/update-success-stamp"));
            b.touches(AptCacheFact.KEY);
        }
        if (!install.isEmpty()) {
            b.step(Step.run("apt-get install " + String.join(" ", install), APT_GET
                    + " -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install -- " + words(install)));
        }
        if (!remove.isEmpty()) {
            b.step(Step.run("apt-get remove " + String.join(" ", remove),
                    APT_GET + " " + (args.purge() ? "purge" : "remove") + " -- " + words(remove)));
        }
        if (!install.isEmpty() || !remove.isEmpty()) {
            b.diff(Diff.of("packages", before.toString(), after.toString()));
            // Installing or removing packages changes files and services anywhere on the host.
            b.touches("*");
        }
        if (!fresh.isEmpty()) b.undo(new Undo.RemovePackages(List.copyOf(fresh)));
        if (!upgrades.isEmpty()) b.undo(new Undo.Irreversible("package upgrade: " + String.join(", ", upgrades)));
        if (!remove.isEmpty()) b.undo(new Undo.Irreversible("package removal: " + String.join(", ", remove)));
        if (update && install.isEmpty() && remove.isEmpty()) b.undo(new Undo.Irreversible("apt package lists refreshed"));
        return b.build();
    }

    private static String words(List<String> l) {
        List<String> q = new ArrayList<>();
        for (String s : l) q.add(Sh.q(s));
        return String.join(" ", q);
    }
}
