package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;

import dev.moat.facts.AptAvailableFact;
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
 * Debian packages, as Ansible's {@code apt}: {@code present} installs what is missing (a
 * {@code name=VERSION} pin must match exactly), {@code absent} removes (with {@code purge}, also a
 * package of which only configuration files are left), {@code latest} also upgrades to apt's
 * candidate (read from the current cache, under {@code default_release} when given). {@code deb}
 * installs a {@code .deb} file on the host or downloaded by the host from a URL, with its dependencies;
 * {@code upgrade} runs {@code apt-get upgrade --with-new-pkgs} ({@code yes}, {@code safe}) or
 * {@code dist-upgrade} ({@code dist}, {@code full}) when a simulation says it would change something;
 * {@code autoremove} with no package removes what apt would auto-remove, or adds {@code --auto-remove}
 * to the install or removal. {@code dpkg_options}, {@code install_recommends}, {@code default_release}
 * ({@code -t}), {@code allow_downgrade}, {@code allow_unauthenticated}, {@code allow_change_held_packages},
 * {@code only_upgrade}, {@code fail_on_autoremove} and {@code force} give apt-get the same options as
 * Ansible. Runs {@code apt-get} non-interactively and waits up to {@code lock_timeout} s for the dpkg
 * lock. {@code update_cache} refreshes the lists before an install, or on its own when they are older
 * than {@code cache_valid_time} seconds; with nothing to do and no {@code cache_valid_time} it does
 * nothing, so reruns stay quiet (Ansible refreshes, and counts a change when the lists changed).
 * A package to install that apt's cache does not know (no version, nothing provides it) fails the
 * task as Ansible's does, "No package matching 'NAME' is available", in check mode too; with
 * {@code update_cache} outside check mode apt-get decides after the refresh.
 * Unlike Ansible, moat always uses apt-get (Ansible prefers aptitude for {@code upgrade: yes|safe|full}
 * when it is installed; Debian does not install it).
 *
 * <p>Undo: packages a task newly installs are removed again, and with them every dependency the
 * install brought in (the journal compares dpkg's package states before and right after the install);
 * removals, upgrades and downgrades cannot be reversed exactly (apt keeps no old {@code .deb}): they
 * are marked {@link Undo.Irreversible} before they run, naming the versions they replace.
 *
 * <pre>
 * - apt:
 *     name: [nginx, apache2-utils, certbot]
 *     state: present
 *     update_cache: true
 *     cache_valid_time: 3600
 *     install_recommends: false
 * - apt:
 *     deb: https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2204/x86_64/cuda-keyring_1.1-1_all.deb
 * </pre>
 */
public final class Apt implements Module<Apt.AptArgs> {
    static final String APT_GET = "DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=";
    static final String DPKG_OPTIONS = "force-confdef,force-confold";
    static final int LOCK_TIMEOUT = 120;
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("name", ArgType.LIST).withAliases("pkg", "package"),
            ArgSpec.choice("state", "present", "present", "absent", "latest", "installed", "removed", "build-dep", "fixed"),
            ArgSpec.optional("update_cache", ArgType.BOOL, false).withAliases("update-cache"),
            ArgSpec.optional("cache_valid_time", ArgType.INT),
            ArgSpec.optional("purge", ArgType.BOOL, false),
            ArgSpec.optional("deb", ArgType.STRING),
            ArgSpec.optional("default_release", ArgType.STRING).withAliases("default-release"),
            ArgSpec.optional("install_recommends", ArgType.BOOL).withAliases("install-recommends"),
            ArgSpec.optional("force", ArgType.BOOL, false),
            ArgSpec.choice("upgrade", "no", "dist", "full", "no", "safe", "yes"),
            ArgSpec.optional("dpkg_options", ArgType.STRING, DPKG_OPTIONS),
            ArgSpec.optional("autoremove", ArgType.BOOL, false),
            ArgSpec.optional("autoclean", ArgType.BOOL, false),
            ArgSpec.optional("clean", ArgType.BOOL, false),
            ArgSpec.optional("fail_on_autoremove", ArgType.BOOL, false),
            ArgSpec.optional("only_upgrade", ArgType.BOOL, false),
            ArgSpec.optional("force_apt_get", ArgType.BOOL, false),
            ArgSpec.optional("allow_unauthenticated", ArgType.BOOL, false).withAliases("allow-unauthenticated"),
            ArgSpec.optional("allow_downgrade", ArgType.BOOL, false).withAliases("allow-downgrade", "allow_downgrades", "allow-downgrades"),
            ArgSpec.optional("allow_change_held_packages", ArgType.BOOL, false),
            ArgSpec.optional("lock_timeout", ArgType.INT),
            ArgSpec.optional("policy_rc_d", ArgType.INT),
            ArgSpec.optional("update_cache_retries", ArgType.INT),
            ArgSpec.optional("update_cache_retry_max_delay", ArgType.INT))
            .exclusive("deb", "name", "upgrade");

    /**
     * Validated arguments; {@code state} is present, absent or latest; {@code packages} hold optional
     * version pins; {@code upgrade} is null, {@code safe} or {@code dist}; {@code flags} are apt-get's
     * options other than the verb, as shell text moat builds.
     */
    public record AptArgs(List<Pkg> packages, String state, boolean updateCache, Integer cacheValidTime, boolean purge,
                          String deb, String release, String upgrade, boolean autoremove, boolean onlyUpgrade, Options options) {}

    /** apt-get's options other than the verb. */
    public record Options(String dpkgOptions, Boolean installRecommends, String release, boolean allowDowngrade,
                          boolean allowUnauthenticated, boolean allowChangeHeld, boolean failOnAutoremove, boolean force,
                          int lockTimeout) {
        /** {@code apt-get} with the lock timeout and dpkg options, then the options common to every verb. */
        String command() {
            StringBuilder s = new StringBuilder(APT_GET).append(lockTimeout);
            for (String o : dpkgOptions.split(",")) s.append(" -o Dpkg::Options::=--").append(o.strip());
            if (force) s.append(" --force-yes");
            if (failOnAutoremove) s.append(" --no-remove");
            if (allowUnauthenticated) s.append(" --allow-unauthenticated");
            if (allowDowngrade) s.append(" --allow-downgrades");
            if (allowChangeHeld) s.append(" --allow-change-held-packages");
            if (release != null) s.append(" -t ").append(Sh.q(release));
            if (installRecommends != null) s.append(" -o APT::Install-Recommends=").append(installRecommends ? "yes" : "no");
            return s.toString();
        }
    }

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
        boolean all = false;
        for (String n : a.strings("name")) {
            String name = n.strip();
            if (name.equals("*")) {
                all = true;
                continue;
            }
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
        if (state.equals("build-dep") || state.equals("fixed")) {
            throw new ArgException("state", "state: " + state + " is not supported by moat (present, absent and latest are)");
        }
        for (String k : new String[] {"autoclean", "clean"}) {
            if (a.bool(k)) throw new ArgException(k, k + " is not supported by moat: it empties apt's download cache, which rollback cannot put back");
        }
        for (String k : new String[] {"policy_rc_d", "update_cache_retries", "update_cache_retry_max_delay"}) {
            if (a.has(k)) throw new ArgException(k, k + " is not supported by moat");
        }
        String upgrade = a.str("upgrade");
        upgrade = upgrade.equals("no") ? null : upgrade.equals("dist") || upgrade.equals("full") ? "dist" : "safe";
        if (all) {
            // Ansible: '*' is dropped from the names; with state: latest it is an upgrade of every package.
            if (!pkgs.isEmpty() && state.equals("latest")) throw new ArgException("name", "unable to install additional packages when upgrading all installed packages");
            if (upgrade == null && state.equals("latest")) upgrade = "safe";
        }
        String deb = a.str("deb");
        if (deb != null) {
            if (!state.equals("present")) throw new ArgException("deb", "deb only supports state=present");
            if (!DebFile.isUrl(deb) && !deb.startsWith("/")) {
                throw new ArgException("deb", "deb '" + deb + "' must be an absolute path on the host or a URL");
            }
            if (DebFile.isUrl(deb) && !deb.matches("(?i)(https?|ftp)://\\S+")) throw new ArgException("deb", "deb '" + deb + "' is not an http(s) or ftp URL");
        }
        boolean cacheTime = a.integer("cache_valid_time") != null && a.integer("cache_valid_time") > 0;
        boolean update = a.bool("update_cache") || cacheTime;
        if (pkgs.isEmpty() && !all && deb == null && upgrade == null && !update && !a.bool("autoremove")) {
            throw new ArgException("name", "apt needs one of name, deb, upgrade, update_cache or autoremove");
        }
        if (state.equals("latest")) {
            for (Pkg p : pkgs) if (p.version() != null) throw new ArgException("name", "state: latest takes no version pin (" + p.spec() + ")");
        }
        if (a.integer("cache_valid_time") != null && a.integer("cache_valid_time") < 0) {
            throw new ArgException("cache_valid_time", "cache_valid_time must not be negative");
        }
        String dpkg = a.str("dpkg_options");
        for (String o : dpkg.split(",")) {
            if (!o.strip().matches("[a-z][a-z0-9-]*(=[A-Za-z0-9_.,/-]+)?")) throw new ArgException("dpkg_options", "'" + o + "' is not a dpkg option (e.g. force-confdef)");
        }
        String release = a.str("default_release");
        if (release != null && release.isBlank()) release = null; // Ansible: an empty release is no release
        if (release != null && !release.matches("[A-Za-z0-9][A-Za-z0-9.+~_/-]*")) throw new ArgException("default_release", "'" + release + "' is not a release name");
        Integer lock = a.integer("lock_timeout");
        if (lock != null && lock < 0) throw new ArgException("lock_timeout", "lock_timeout must not be negative");
        Options o = new Options(dpkg, a.has("install_recommends") ? a.bool("install_recommends") : null, release,
                a.bool("allow_downgrade"), a.bool("allow_unauthenticated"), a.bool("allow_change_held_packages"),
                a.bool("fail_on_autoremove"), a.bool("force"), lock == null ? LOCK_TIMEOUT : lock);
        return new AptArgs(List.copyOf(pkgs), state, update, cacheTime ? a.integer("cache_valid_time") : null, a.bool("purge"),
                deb, release, upgrade, a.bool("autoremove"), a.bool("only_upgrade"), o);
    }

    @Override
    public List<Fact<?>> reads(AptArgs args) {
        List<Fact<?>> r = new ArrayList<>();
        for (Pkg p : args.packages()) {
            r.add(new PackageFact(p.name()));
            if (args.state().equals("latest")) r.add(new AptPolicyFact(p.name(), args.release()));
            if (!args.state().equals("absent")) r.add(new AptAvailableFact(p.name()));
        }
        if (args.updateCache() && args.cacheValidTime() != null) r.add(new AptCacheFact());
        if (args.upgrade() != null) r.add(AptSimulation.fact(upgradeVerb(args)));
        if (args.autoremove() && args.packages().isEmpty() && args.deb() == null && args.upgrade() == null) {
            r.add(AptSimulation.fact(autoremoveVerb(args)));
        }
        if (args.deb() != null) r.add(DebFile.fact(args.deb()));
        return r;
    }

    private static String upgradeVerb(AptArgs args) {
        String t = args.release() == null ? "" : "-t " + Sh.q(args.release()) + " ";
        return t + (args.upgrade().equals("dist") ? "dist-upgrade" : "upgrade --with-new-pkgs") + (args.autoremove() ? " --auto-remove" : "");
    }

    private static String autoremoveVerb(AptArgs args) {
        return (args.purge() ? "--purge " : "") + "autoremove";
    }

    @Override
    public Plan plan(AptArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Plan.Builder b = Plan.builder();
        String apt = args.options().command();
        boolean stale = args.updateCache() && (args.cacheValidTime() == null
                ? args.packages().isEmpty() && args.deb() == null && args.upgrade() == null && !args.autoremove()
                : facts.get(new AptCacheFact()) > args.cacheValidTime());
        // Ansible checks the cache before it installs, in check mode too (where it refreshes nothing).
        PackageSet set = packages(args, facts, ctx.check() || !args.updateCache());
        boolean work = !set.install.isEmpty() || !set.remove.isEmpty();
        AptSimulation sim = args.upgrade() != null ? AptSimulation.parse(facts.get(AptSimulation.fact(upgradeVerb(args))).stdout())
                : args.autoremove() && args.packages().isEmpty() && args.deb() == null
                ? AptSimulation.parse(facts.get(AptSimulation.fact(autoremoveVerb(args))).stdout()) : null;
        DebFile.Read deb = args.deb() == null ? null : DebFile.parse(facts.get(DebFile.fact(args.deb())).stdout());
        if (deb != null && deb.error() != null) {
            throw new TaskException("deb " + args.deb() + ": " + debError(deb.error()));
        }
        boolean debWork = deb != null && !deb.version().equals(deb.installed());
        // A refreshed cache can change what an upgrade does: then it runs, whatever the old lists said.
        boolean update = args.updateCache() && (stale || work || debWork);
        boolean simWork = sim != null && (!sim.changes().isEmpty() || (update && args.upgrade() != null));
        if (update) {
            b.step(Step.run("apt-get update", APT_GET + args.options().lockTimeout()
                    + " update && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/update-success-stamp"));
            b.touches(AptCacheFact.KEY);
        }
        if (args.upgrade() != null && simWork) {
            b.step(Step.run("apt-get " + (args.upgrade().equals("dist") ? "dist-upgrade" : "upgrade"), apt + " "
                    + (args.upgrade().equals("dist") ? "dist-upgrade" : "upgrade --with-new-pkgs") + (args.autoremove() ? " --auto-remove" : "")));
            simulated(b, sim, "package upgrade");
            if (update && sim.changes().isEmpty()) b.undo(new Undo.Irreversible("upgrade after a cache refresh: the packages it upgrades were not known when it was planned"));
        } else if (sim != null && simWork) {
            b.step(Step.run("apt-get autoremove", apt + (args.purge() ? " --purge" : "") + " autoremove"));
            simulated(b, sim, "package autoremove");
        }
        if (debWork) {
            b.step(Step.run("install " + deb.name() + " " + deb.version() + " from " + args.deb(), "(\n" + DebFile.fetch(args.deb())
                    + (DebFile.isUrl(args.deb()) ? " || exit 1\n" : "\n") + apt + " install -- \"$f\"\n)"));
            b.diff(Diff.of("packages", deb.name() + " " + (deb.installed() == null ? "absent" : deb.installed()) + "\n",
                    deb.name() + " " + deb.version() + "\n"));
            b.undo(deb.installed() == null ? new Undo.RemovePackages(List.of(deb.name()))
                    : new Undo.Irreversible("package " + deb.name() + " " + deb.installed() + " replaced by " + deb.version() + " from " + args.deb()));
        }
        String auto = args.autoremove() ? " --auto-remove" : "";
        if (!set.install.isEmpty()) {
            b.step(Step.run("apt-get install " + String.join(" ", set.install), apt
                    + (args.onlyUpgrade() ? " --only-upgrade" : "") + auto + " install -- " + words(set.install)));
        }
        if (!set.remove.isEmpty()) {
            b.step(Step.run("apt-get remove " + String.join(" ", set.remove),
                    apt + auto + " " + (args.purge() ? "purge" : "remove") + " -- " + words(set.remove)));
        }
        if (work) {
            b.diff(Diff.of("packages", set.before.toString(), set.after.toString()));
            if (!set.fresh.isEmpty()) b.undo(new Undo.RemovePackages(List.copyOf(set.fresh)));
            if (!set.upgrades.isEmpty()) b.undo(new Undo.Irreversible("package upgrade: " + String.join(", ", set.upgrades)));
            if (!set.removed.isEmpty()) {
                b.undo(new Undo.Irreversible("package removal: " + String.join(", ", set.removed)
                        + (args.autoremove() ? " (and what --auto-remove takes with them)" : "")));
            }
        }
        if (b.hasSteps() && !(update && b.build().steps().size() == 1)) {
            // Installing or removing packages changes files and services anywhere on the host.
            b.touches("*");
        }
        if (update && !work && !debWork && !simWork) b.undo(new Undo.Irreversible("apt package lists refreshed"));
        return b.build();
    }

    private static String debError(String error) {
        if (error.equals("missing")) return "no such file on the host";
        if (error.equals("fetch-failed")) return "the host could not download it";
        return "not a Debian package (dpkg-deb cannot read its Package and Version)";
    }

    private static void simulated(Plan.Builder b, AptSimulation sim, String what) {
        if (sim.changes().isEmpty()) return;
        String[] d = sim.diff();
        b.diff(Diff.of("packages", d[0], d[1]));
        if (!sim.fresh().isEmpty()) b.undo(new Undo.RemovePackages(sim.fresh()));
        if (!sim.replaced().isEmpty()) {
            b.undo(new Undo.Irreversible(what + " (old versions are not kept, so they cannot be put back): " + String.join(", ", sim.replaced())));
        }
    }

    /** What the named packages need: the apt-get words and the diff's lines. */
    private static final class PackageSet {
        final List<String> install = new ArrayList<>();
        final List<String> fresh = new ArrayList<>();
        final List<String> upgrades = new ArrayList<>();
        final List<String> remove = new ArrayList<>();
        final List<String> removed = new ArrayList<>();
        final StringBuilder before = new StringBuilder();
        final StringBuilder after = new StringBuilder();

        void line(String name, String now, String then) {
            before.append(name).append(' ').append(now).append('\n');
            after.append(name).append(' ').append(then).append('\n');
        }
    }

    private static PackageSet packages(AptArgs args, Facts facts, boolean cacheIsFinal) throws TaskException {
        PackageSet set = new PackageSet();
        for (Pkg p : args.packages()) {
            PackageState s = facts.get(new PackageFact(p.name()));
            String now = s.installed() ? s.version() : "absent";
            if (args.state().equals("absent")) {
                // Like Ansible's: purge also takes a package of which only configuration files are left.
                boolean configOnly = !s.installed() && s.status() != null && s.status().startsWith("rc");
                if (s.installed() || (args.purge() && configOnly)) {
                    set.remove.add(p.name());
                    set.removed.add(p.name() + (s.installed() ? " " + s.version() : " (configuration files)"));
                    set.line(p.name(), s.installed() ? now : "config-files", "absent");
                }
            } else if (args.onlyUpgrade() && !s.installed()) {
                continue;
            } else if (!s.installed() && cacheIsFinal && facts.get(new AptAvailableFact(p.name())) == AptAvailableFact.Availability.NONE) {
                throw new TaskException("No package matching '" + p.name() + "' is available");
            } else if (args.state().equals("latest")) {
                AptPolicy pol = facts.get(new AptPolicyFact(p.name(), args.release()));
                if (!s.installed() || (pol.candidate() != null && !pol.candidate().equals(s.version()))) {
                    set.install.add(p.name());
                    if (s.installed()) set.upgrades.add(p.name() + " " + s.version() + " -> " + pol.candidate());
                    else set.fresh.add(p.name());
                    set.line(p.name(), now, pol.candidate() == null ? "(latest)" : pol.candidate());
                }
            } else if (!s.installed() || (p.version() != null && !p.version().equals(s.version()))) {
                set.install.add(p.spec());
                if (s.installed()) set.upgrades.add(p.name() + " " + s.version() + " -> " + p.version());
                else set.fresh.add(p.name());
                set.line(p.name(), now, p.version() == null ? "(installed)" : p.version());
            }
        }
        return set;
    }

    private static String words(List<String> l) {
        List<String> q = new ArrayList<>();
        for (String s : l) q.add(Sh.q(s));
        return String.join(" ", q);
    }
}
