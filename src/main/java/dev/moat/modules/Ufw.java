package dev.moat.modules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.moat.facts.CommandFact;
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
import dev.moat.module.Risk;
import dev.moat.module.Spec;
import dev.moat.module.Step;
import dev.moat.module.TaskException;
import dev.moat.modules.ufw.Lockout;
import dev.moat.modules.ufw.RuleArg;
import dev.moat.modules.ufw.Services;
import dev.moat.modules.ufw.SshPorts;
import dev.moat.modules.ufw.UfwLive;
import dev.moat.modules.ufw.UfwRule;
import dev.moat.modules.ufw.UfwState;

/**
 * UFW's rules, default policies and state, with Ansible's {@code community.general.ufw} argument
 * names. One task may declare a whole firewall: {@code rules:} lists every rule and {@code prune: true}
 * deletes every other in/out rule (routed rules are left alone), each shown in the diff. A single
 * rule can be given inline instead ({@code rule:}, {@code port:}, ...), and {@code delete: true}
 * removes a rule. Rules compare as ufw compares them ({@code 0.0.0.0/0} = {@code ::/0} = any; the
 * IPv4 and IPv6 copies of a rule are one rule; {@code port: https} is looked up in the host's
 * {@code /etc/services}); a different {@code comment} re-adds the rule, which ufw updates in place.
 *
 * <p>Lockout guard: a plan that leaves the firewall active and would block any port sshd listens on
 * (or that moat is connected through) fails before anything runs, naming the port(s). Declare
 * the rules, default and state in one task so the check sees the whole result (also in check mode).
 * Undo restores /etc/ufw and the active state (and /etc/default/ufw when a default policy changes);
 * the lockout guard's revert puts back both files before it reloads ufw.
 *
 * <pre>
 * - ufw:
 *     state: enabled
 *     default: deny          # direction: incoming (the default)
 *     prune: true
 *     rules:
 *       - {rule: allow, port: "{{ ssh_port }}", proto: tcp, comment: ssh}
 *       - {rule: allow, port: 80, proto: tcp}
 *       - {rule: allow, port: 443, proto: tcp}
 *       - {rule: limit, port: 2222, proto: tcp, from_ip: 10.0.0.0/8}
 * </pre>
 */
public final class Ufw implements Module<Ufw.UfwArgs> {
    static final CommandFact STATUS = UfwLive.FACT;
    static final FileFact DEFAULTS = new FileFact("/etc/default/ufw");
    static final FileFact RULES4 = new FileFact("/etc/ufw/user.rules");
    static final FileFact RULES6 = new FileFact("/etc/ufw/user6.rules");
    static final FileFact SERVICES = new FileFact("/etc/services");

    static final Spec SPEC = buildSpec();

    private static Spec buildSpec() {
        List<ArgSpec> a = new ArrayList<>(List.of(
                ArgSpec.choice("state", null, "enabled", "disabled", "reloaded"),
                ArgSpec.choice("default", null, "allow", "deny", "reject").withAliases("policy"),
                ArgSpec.choice("direction", null, "incoming", "outgoing", "routed", "in", "out"),
                ArgSpec.optional("rules", ArgType.LIST),
                ArgSpec.optional("prune", ArgType.BOOL, false)));
        a.addAll(RuleArg.specs());
        return new Spec(a, null, List.of(List.of("rule", "rules")), List.of(List.of("state", "default", "rule", "rules")));
    }

    /**
     * Validated arguments.
     *
     * @param state            enabled, disabled, reloaded or null (left as it is)
     * @param defaultPolicy    allow, deny, reject or null
     * @param defaultDirection incoming, outgoing or routed
     * @param rules            the declared rules (one inline rule, or the {@code rules:} list)
     * @param prune            delete every in/out rule not in {@code rules}
     */
    public record UfwArgs(String state, String defaultPolicy, String defaultDirection, List<RuleArg> rules, boolean prune) {
        public UfwArgs {
            rules = List.copyOf(rules);
        }
    }

    @Override
    public String name() {
        return "ufw";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public UfwArgs bind(Args a) throws ArgException {
        List<RuleArg> rules = new ArrayList<>();
        if (a.str("rule") != null) {
            rules.add(RuleArg.of(a));
        } else {
            for (String k : List.of("port", "from_port", "comment", "interface")) {
                if (a.has(k)) throw new ArgException(k, "'" + k + "' describes a rule: give 'rule' too (or list rules under 'rules')");
            }
            if (a.bool("delete")) throw new ArgException("delete", "'delete' needs 'rule' (or 'delete: true' inside a 'rules' item)");
            List<Object> items = a.list("rules");
            for (int i = 0; i < items.size(); i++) rules.add(RuleArg.item(items.get(i), i));
        }
        boolean prune = a.bool("prune");
        if (prune && !a.has("rules")) {
            throw new ArgException("prune", "prune deletes every rule not in 'rules': list the whole rule set under 'rules'");
        }
        if (prune && rules.stream().anyMatch(RuleArg::delete)) {
            throw new ArgException("prune", "with prune, leave a rule out of 'rules' instead of 'delete: true'");
        }
        String dir = a.str("direction");
        String policy = a.str("default");
        if (policy != null) {
            dir = dir == null || dir.equals("in") ? "incoming" : dir.equals("out") ? "outgoing" : dir;
        }
        return new UfwArgs(a.str("state"), policy, dir, rules, prune);
    }

    @Override
    public List<Fact<?>> reads(UfwArgs args) {
        List<Fact<?>> f = new ArrayList<>(List.of(STATUS, DEFAULTS, RULES4, RULES6, SshPorts.FACT));
        if (args.rules().stream().anyMatch(RuleArg::named)) f.add(SERVICES);
        return f;
    }

    @Override
    public Plan plan(UfwArgs args, Facts facts, PlanContext ctx) throws TaskException {
        UfwState cur = UfwState.of(facts.get(STATUS), facts.get(DEFAULTS), facts.get(RULES4), facts.get(RULES6), ctx.check());
        Services services = null;
        if (args.rules().stream().anyMatch(RuleArg::named)) {
            FileState s = facts.get(SERVICES);
            services = Services.parse(s.isFile() ? s.text() : null);
        }
        List<String> cmds = new ArrayList<>();
        boolean active = cur.active();
        if ("disabled".equals(args.state()) && active) {
            cmds.add("ufw disable");
            active = false;
        }
        List<UfwRule> rules = new ArrayList<>(cur.rules());
        Set<String> declared = new HashSet<>();
        for (RuleArg ra : args.rules()) {
            UfwRule want = ra.resolve(services);
            declared.add(want.key());
            int i = indexOf(rules, want.key());
            if (ra.delete()) {
                if (i >= 0) {
                    cmds.add(rules.get(i).deleteCommand());
                    rules.remove(i);
                }
            } else if (i < 0) {
                cmds.add(want.addCommand());
                rules.add(want);
            } else if (want.comment() != null && !want.comment().equals(rules.get(i).comment())) {
                UfwRule updated = rules.get(i).withComment(want.comment());
                cmds.add(updated.addCommand());
                rules.set(i, updated);
            }
        }
        if (args.prune()) {
            for (UfwRule r : cur.rules()) {
                if (r.route() || declared.contains(r.key())) continue;
                cmds.add(r.deleteCommand());
                rules.remove(r);
            }
        }
        Map<String, String> defaults = new LinkedHashMap<>(cur.defaults());
        if (args.defaultPolicy() != null && !args.defaultPolicy().equals(defaults.get(args.defaultDirection()))) {
            cmds.add("ufw default " + args.defaultPolicy() + " " + args.defaultDirection());
            defaults.put(args.defaultDirection(), args.defaultPolicy());
        }
        if ("enabled".equals(args.state()) && !active) {
            cmds.add("ufw --force enable");
            active = true;
        } else if ("reloaded".equals(args.state()) && active) {
            cmds.add("ufw reload");
        }
        if (cmds.isEmpty()) return Plan.converged();

        UfwState after = cur.with(active, defaults, rules);
        SshPorts ssh = SshPorts.parse(facts.get(SshPorts.FACT));
        List<Integer> blocked = Lockout.blocked(after, ssh);
        if (!blocked.isEmpty()) throw new TaskException(refusal(blocked, ssh, after));

        Plan.Builder b = Plan.builder();
        b.step(Step.run("ufw: " + cmds.size() + " change" + (cmds.size() == 1 ? "" : "s"), "set -e\n" + String.join("\n", cmds)));
        if (!cur.listing().equals(after.listing())) b.diff(Diff.of("ufw", cur.listing(), after.listing()));
        b.risk(Risk.FIREWALL).undo(new Undo.RestoreFirewall());
        // ufw default rewrites /etc/default/ufw, outside the /etc/ufw that RestoreFirewall saves.
        if (!defaults.equals(cur.defaults())) b.undo(new Undo.RestorePath(DEFAULTS.path()));
        b.touches(STATUS.key()).touches("file:/etc/ufw").touches(DEFAULTS.key());
        b.result("sshd_ports", List.copyOf(ssh.required()));
        return b.build();
    }

    private static int indexOf(List<UfwRule> rules, String key) {
        for (int i = 0; i < rules.size(); i++) if (rules.get(i).key().equals(key)) return i;
        return -1;
    }

    static String refusal(List<Integer> blocked, SshPorts ssh, UfwState after) {
        String ports = blocked.stream().map(String::valueOf).collect(Collectors.joining(", "));
        StringBuilder why = new StringBuilder();
        if (!ssh.listening().isEmpty()) why.append("sshd listens on ").append(join(ssh.listening()));
        else if (!ssh.configured().isEmpty()) why.append("sshd is configured for port ").append(join(ssh.configured()));
        else if (ssh.guessed()) why.append("sshd's port could not be detected, so 22 is assumed");
        if (ssh.connection() != null) {
            if (why.length() > 0) why.append("; ");
            why.append("moat is connected through ").append(ssh.connection());
            if (ssh.peer() != null) why.append(" from ").append(ssh.peer());
        }
        int first = blocked.get(0);
        return "refusing to change the firewall: with it active and incoming " + after.defaults().get("incoming")
                + ", SSH port" + (blocked.size() == 1 ? " " : "s ") + ports + " would be blocked (" + why
                + "). Allow it first, e.g. add {rule: allow, port: " + first + ", proto: tcp} to this task's rules"
                + " (harden-inference.yml: set ssh_port to sshd's real port)";
    }

    private static String join(Set<Integer> s) {
        return s.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
