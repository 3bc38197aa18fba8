package dev.moat.modules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.facts.ServiceFact;
import dev.moat.facts.ServiceState;
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
import dev.moat.transport.Sh;

/**
 * A service's running state and boot-time enablement. With systemd as PID 1 it uses
 * {@code systemctl}; otherwise the init script through {@code service NAME ACTION} and
 * {@code update-rc.d}, or, for a daemon with no init script that controls itself (nginx), its own
 * commands: {@code nginx}, {@code nginx -s quit}, {@code nginx -t && nginx -s reload}.
 * {@code restarted} and {@code reloaded} always act (a stopped service is started instead) and are
 * marked irreversible; {@code started}, {@code stopped} and {@code enabled} record the previous state
 * so rollback can put it back. Unknown state (no way to tell) counts as "not yet as wanted".
 * A change to ssh or sshd risks {@link Risk#SSH}: it journals /etc/ssh (and a reload of sshd) first,
 * so the lockout guard, and a rollback, can put sshd's configuration back. With systemd's own
 * arguments ({@code daemon_reload}, {@code daemon_reexec}, {@code masked}, {@code force},
 * {@code no_block}, {@code scope}) the task is {@link Systemd}'s, as Ansible's service action hands it
 * to {@code systemd_service} on a systemd host (and fails it elsewhere).
 *
 * <pre>
 * - service:
 *     name: nginx
 *     state: reloaded
 *     enabled: true
 * </pre>
 */
public final class Service implements Module<Service.ServiceArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("name", ArgType.STRING),
            ArgSpec.choice("state", null, "started", "stopped", "restarted", "reloaded"),
            ArgSpec.optional("enabled", ArgType.BOOL),
            // systemd's own: Ansible's service action hands the task to systemd_service on a systemd host.
            ArgSpec.optional("daemon_reload", ArgType.BOOL).withAliases("daemon-reload"),
            ArgSpec.optional("daemon_reexec", ArgType.BOOL).withAliases("daemon-reexec"),
            ArgSpec.optional("masked", ArgType.BOOL),
            ArgSpec.optional("force", ArgType.BOOL),
            ArgSpec.optional("no_block", ArgType.BOOL),
            ArgSpec.optional("scope", ArgType.STRING));

    private static final List<String> SYSTEMD_ONLY = List.of("daemon_reload", "daemon_reexec", "masked", "force", "no_block", "scope");

    /**
     * Validated arguments; {@code state} and {@code enabled} are null when not managed; {@code systemd}
     * is set when the task uses systemd's own arguments ({@code daemon_reload}, {@code masked}, ...):
     * then it runs as {@code systemd_service}, as Ansible's service action runs it on a systemd host.
     */
    public record ServiceArgs(String name, String state, Boolean enabled, Systemd.UnitArgs systemd) {
        public ServiceArgs(String name, String state, Boolean enabled) {
            this(name, state, enabled, null);
        }
    }

    private final Systemd systemd = new Systemd();

    @Override
    public String name() {
        return "service";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public ServiceArgs bind(Args a) throws ArgException {
        if (SYSTEMD_ONLY.stream().anyMatch(a::has)) {
            Map<String, Object> given = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : a.asMap().entrySet()) if (a.has(e.getKey())) given.put(e.getKey(), e.getValue());
            return new ServiceArgs(a.str("name"), a.str("state"), null, systemd.bind(Args.check(Systemd.SPEC, given)));
        }
        if (!a.has("state") && !a.has("enabled")) throw new ArgException("state", "one of [state, enabled] is required");
        String name = a.str("name");
        if (name == null) throw new ArgException("name", "missing required argument 'name'");
        // Never an option to systemctl or service (a leading '-'), never shell.
        if (!name.matches("[A-Za-z0-9@_.:][A-Za-z0-9@_.:-]*")) throw new ArgException("name", "'" + name + "' is not a service name");
        return new ServiceArgs(name, a.str("state"), a.has("enabled") ? (Boolean) a.raw("enabled") : null);
    }

    @Override
    public List<Fact<?>> reads(ServiceArgs args) {
        if (args.systemd() != null) return systemd.reads(args.systemd());
        return List.of(new ServiceFact(args.name()));
    }

    @Override
    public Plan plan(ServiceArgs args, Facts facts, PlanContext ctx) throws TaskException {
        if (args.systemd() != null) return systemd.plan(args.systemd(), facts, ctx);
        ServiceState s = facts.get(new ServiceFact(args.name()));
        String n = args.name();
        if (!s.known() && !ctx.check()) {
            throw new TaskException("service " + n + " not found on this host ("
                    + (s.manager() == ServiceState.Manager.SYSTEMD ? "systemd has no unit " + n : "no init script, pidfile or command " + n) + ")");
        }
        Plan.Builder b = Plan.builder();
        boolean running = Boolean.TRUE.equals(s.running());
        String state = args.state();
        String action = null;
        if ("started".equals(state) && !running) action = "start";
        else if ("stopped".equals(state) && !Boolean.FALSE.equals(s.running())) action = "stop";
        else if ("restarted".equals(state) && (running || !ctx.afterRollback())) action = running ? "restart" : "start";
        else if ("reloaded".equals(state) && (running || !ctx.afterRollback())) action = running ? "reload" : "start";
        if (action != null) b.step(Step.run(action + " " + n, control(s, action)));
        boolean enable = args.enabled() != null && !args.enabled().equals(s.enabled());
        if (enable) b.step(Step.run((args.enabled() ? "enable " : "disable ") + n, enable(s, args.enabled())));
        if (!b.hasSteps()) return b.build();
        String was = describe(s.running(), s.enabled());
        boolean runningAfter = action == null ? running : !action.equals("stop");
        b.diff(Diff.of("service " + n, was, describe(runningAfter, args.enabled() != null ? args.enabled() : s.enabled())));
        // Whatever makes sshd (re)load its configuration may cut SSH: journal that configuration first.
        if (n.equals("ssh") || n.equals("sshd")) {
            b.risk(Risk.SSH).undo(new Undo.Reload("sshd")).undo(new Undo.RestorePath(Risk.SSH_CONFIG));
        }
        if ("restart".equals(action) || "reload".equals(action)) {
            b.undo(new Undo.Irreversible(action + " of service " + n));
        }
        if ("start".equals(action) || "stop".equals(action) || enable) {
            b.undo(new Undo.RestoreService(n, running, s.enabled()));
        }
        b.touches("service:" + n);
        return b.build();
    }

    private static String describe(Boolean running, Boolean enabled) {
        String r = running == null ? "state unknown" : running ? "running" : "stopped";
        String e = enabled == null ? "" : enabled ? ", enabled at boot" : ", disabled at boot";
        return r + e + "\n";
    }

    static String control(ServiceState s, String action) throws TaskException {
        String q = Sh.q(s.name());
        if (s.manager() == ServiceState.Manager.SYSTEMD) return "systemctl " + action + " " + q;
        if (s.initScript() || !s.name().equals("nginx")) {
            if (!s.initScript() && s.known()) {
                throw new TaskException("cannot " + action + " " + s.name() + ": no systemd and no /etc/init.d/" + s.name());
            }
            return "service " + q + " " + action;
        }
        switch (action) {
            case "start": return "nginx";
            case "stop": return "nginx -s quit";
            case "reload": return "nginx -t && nginx -s reload";
            default:
                return "nginx -t && nginx -s quit && i=0 && while [ -e /run/nginx.pid ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done && nginx";
        }
    }

    static String enable(ServiceState s, boolean on) throws TaskException {
        String q = Sh.q(s.name());
        if (s.manager() == ServiceState.Manager.SYSTEMD) return "systemctl " + (on ? "enable " : "disable ") + q;
        if (!s.initScript()) {
            throw new TaskException("cannot " + (on ? "enable " : "disable ") + s.name() + " at boot: no systemd and no /etc/init.d/" + s.name());
        }
        return on ? "update-rc.d " + q + " defaults && update-rc.d " + q + " enable" : "update-rc.d " + q + " disable";
    }
}
