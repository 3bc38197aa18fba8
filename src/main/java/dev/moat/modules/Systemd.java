package dev.moat.modules;

import java.util.List;

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
import dev.moat.module.Risk;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.system.UnitFact;
import dev.moat.modules.system.UnitState;
import dev.moat.modules.system.Units;
import dev.moat.transport.Sh;

/**
 * A systemd unit, as Ansible's {@code systemd_service} (also named {@code systemd}): daemon-reload
 * and daemon-reexec first, then masked, enabled, state, each compared with what
 * {@code systemctl show} and {@code is-enabled} read. Only the system manager ({@code scope: system}):
 * {@code user} and {@code global} are refused by name.
 *
 * <p>Where moat differs from Ansible, it is to stay idempotent: {@code daemon_reload} runs (and
 * counts as a change) only when a unit needs it ({@code NeedDaemonReload}, or the named unit is not
 * loaded yet), Ansible runs it every time and never counts it; disabling a static unit is
 * converged (Ansible reports a change that does nothing). The undo puts back masked, enabled and
 * active ({@link Undo.RestoreUnit}); a restart, a reload and a re-exec cannot be undone.
 *
 * <p>With only {@code name} (nothing to manage) it is a read-only status query, as in Ansible: the
 * result's {@code status} holds {@code systemctl show}'s properties, nothing changes, no undo.
 *
 * <pre>
 * - systemd:
 *     name: vllm.service
 *     daemon_reload: true
 *     state: started
 *     enabled: true
 * </pre>
 */
public final class Systemd implements Module<Systemd.UnitArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("name", ArgType.STRING).withAliases("service", "unit"),
            ArgSpec.choice("state", null, "reloaded", "restarted", "started", "stopped"),
            ArgSpec.optional("enabled", ArgType.BOOL),
            ArgSpec.optional("force", ArgType.BOOL),
            ArgSpec.optional("masked", ArgType.BOOL),
            ArgSpec.optional("daemon_reload", ArgType.BOOL, false).withAliases("daemon-reload"),
            ArgSpec.optional("daemon_reexec", ArgType.BOOL, false).withAliases("daemon-reexec"),
            ArgSpec.choice("scope", "system", "system", "user", "global"),
            ArgSpec.optional("no_block", ArgType.BOOL, false));

    /** Validated arguments; {@code state}, {@code enabled} and {@code masked} are null when not managed. */
    public record UnitArgs(String name, String state, Boolean enabled, Boolean masked, boolean daemonReload,
                           boolean daemonReexec, boolean force, boolean noBlock) {}

    private final String name;

    /** The module under its short name, {@code systemd}. */
    public Systemd() {
        this("systemd");
    }

    /** The same module under {@code systemd_service}, Ansible's newer name for it. */
    public static Systemd service() {
        return new Systemd("systemd_service");
    }

    private Systemd(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public UnitArgs bind(Args a) throws ArgException {
        if (!"system".equals(a.str("scope"))) {
            throw new ArgException("scope", "scope: " + a.str("scope") + " is not supported by moat: it manages the system's units only (scope: system)");
        }
        String unit = a.str("name");
        for (String k : new String[] {"state", "enabled", "masked"}) {
            if (a.has(k) && unit == null) throw new ArgException("name", k + " needs name: the unit to manage");
        }
        if (unit != null) {
            if (unit.contains("*") || unit.contains("?") || unit.contains("[")) {
                throw new ArgException("name", "glob patterns are not supported in a unit name: '" + unit + "'");
            }
            if (!Units.isName(unit)) throw new ArgException("name", "'" + unit + "' is not a unit name");
        }
        return new UnitArgs(unit, a.str("state"), a.has("enabled") ? a.bool("enabled") : null,
                a.has("masked") ? a.bool("masked") : null, a.bool("daemon_reload"), a.bool("daemon_reexec"),
                a.has("force") && a.bool("force"), a.bool("no_block"));
    }

    @Override
    public List<Fact<?>> reads(UnitArgs args) {
        return List.of(new UnitFact(args.name()));
    }

    @Override
    public Plan plan(UnitArgs args, Facts facts, PlanContext ctx) throws TaskException {
        UnitState u = facts.get(new UnitFact(args.name()));
        // Ansible's required_one_of is always met (daemon_reload defaults to false): with nothing to
        // manage, the task is a status query, never a change, and answers {} without systemd.
        if (args.state() == null && args.enabled() == null && args.masked() == null && !args.daemonReload() && !args.daemonReexec()) {
            return done(Plan.builder(), args, u);
        }
        if (!u.systemd()) throw new TaskException("systemd is not the init system (PID 1) of this host: use the service module");
        String n = args.name();
        Plan.Builder b = Plan.builder();
        String ctl = "systemctl" + (args.noBlock() ? " --no-block" : "");
        String forced = args.force() ? " --force" : "";
        if (args.daemonReexec()) {
            b.step(Step.run("daemon-reexec", "systemctl daemon-reexec")).undo(new Undo.Irreversible("daemon-reexec of systemd"));
        }
        boolean reload = args.daemonReload() && (n == null ? u.staleUnits() > 0 : u.needsReload() || !u.found());
        if (reload) b.step(Step.run("daemon-reload", "systemctl daemon-reload")).undo(new Undo.Reload("systemd"));
        if (n == null) return done(b, args, u);
        // A unit that is not loaded yet may be there after the daemon-reload: judge it then, on the host.
        boolean found = u.found() || reload;
        String q = Sh.q(n);
        boolean masked = u.masked();
        if (args.masked() != null && args.masked() != masked) {
            b.step(Step.run((args.masked() ? "mask " : "unmask ") + n, "systemctl " + (args.masked() ? "mask" : "unmask") + forced + " -- " + q));
            masked = args.masked();
        }
        boolean enabled = u.enabled();
        if (args.enabled() != null) {
            missing(found, n, ctx);
            if (args.enabled() != enabled && !(u.isStatic() && !args.enabled())) {
                b.step(Step.run((args.enabled() ? "enable " : "disable ") + n,
                        "systemctl " + (args.enabled() ? "enable" : "disable") + forced + " -- " + q));
                enabled = args.enabled();
            }
        }
        boolean running = u.running();
        if (args.state() != null) {
            missing(found, n, ctx);
            // After a rollback a handler reloads what runs; it never starts what the rollback stopped.
            boolean keepStopped = ctx.afterRollback() && !u.running() && (args.state().equals("restarted") || args.state().equals("reloaded"));
            String action = keepStopped ? null : action(args.state(), u);
            if (action != null) {
                b.step(Step.run(action + " " + n, ctl + " " + action + " -- " + q));
                if (action.equals("restart") || action.equals("reload")) b.undo(new Undo.Irreversible(action + " of unit " + n));
                running = !action.equals("stop");
            }
        }
        if (b.hasSteps() && (masked != u.masked() || enabled != u.enabled() || running != u.running())) {
            b.diff(Diff.of("unit " + n, describe(u.running(), u.enabled(), u.masked()), describe(running, enabled, masked)));
            b.undo(new Undo.RestoreUnit(n, u.running(), u.isStatic() ? null : u.enabled(), u.masked()));
        }
        if (n.equals("ssh.service") || n.equals("ssh") || n.equals("sshd") || n.equals("sshd.service")) {
            if (b.hasSteps()) b.risk(Risk.SSH).undo(new Undo.Reload("sshd")).undo(new Undo.RestorePath(Risk.SSH_CONFIG));
        }
        b.touches("service:" + (n.endsWith(".service") ? n.substring(0, n.length() - 8) : n));
        b.result("enabled", enabled);
        if (args.state() != null) b.result("state", args.state().equals("stopped") ? "stopped" : "started");
        return done(b, args, u);
    }

    private static Plan done(Plan.Builder b, UnitArgs args, UnitState u) {
        b.result("name", args.name());
        b.result("status", u.status());
        return b.build();
    }

    /** Ansible's choice of action for {@code state} (a stopped unit is started, whatever restart or reload asked). */
    static String action(String state, UnitState u) {
        switch (state) {
            case "started": return u.running() ? null : "start";
            case "stopped": return u.running() || u.deactivating() ? "stop" : null;
            default: return u.running() ? state.substring(0, state.length() - 2) : "start";
        }
    }

    private static void missing(boolean found, String n, PlanContext ctx) throws TaskException {
        if (!found && !ctx.check()) throw new TaskException("Could not find the requested service " + n + ": host");
    }

    private static String describe(boolean running, boolean enabled, boolean masked) {
        return (running ? "active" : "inactive") + (masked ? ", masked" : enabled ? ", enabled" : ", disabled") + "\n";
    }
}
