package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.moat.facts.HostFacts;
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
 * Gathers the host's facts ({@link HostFacts}), as Ansible's {@code setup}: its result's
 * {@code ansible_facts} become the host's facts ({@code ansible_facts.distribution} and
 * {@code ansible_distribution}). {@code filter} keeps the facts whose {@code ansible_} name matches
 * one of its shell patterns; {@code gather_subset} is checked and accepted, but every fact is read
 * anyway, in the one snippet of the play's batched read. A play's {@code gather_facts} runs it first.
 *
 * <pre>
 * - setup:
 *     filter: [ansible_distribution*, ansible_os_family]
 * </pre>
 */
public final class Setup implements Module<Setup.SetupArgs> {
    private static final Set<String> SUBSETS = Set.of("all", "min", "hardware", "network", "virtual", "ohai", "facter",
            "all_ipv4_addresses", "all_ipv6_addresses", "apparmor", "architecture", "caps", "chroot", "cmdline", "date_time",
            "default_ipv4", "default_ipv6", "devices", "distribution", "distribution_major_version", "distribution_release",
            "distribution_version", "dns", "effective_group_ids", "effective_user_id", "env", "fibre_channel_wwn", "fips",
            "interfaces", "is_chroot", "iscsi", "kernel", "local", "lsb", "machine", "machine_id", "mounts",
            "nvme", "os_family", "pkg_mgr", "platform", "processor", "processor_cores", "processor_count", "python",
            "python_version", "real_user_id", "selinux", "service_mgr", "ssh_host_key_dsa_public", "ssh_host_key_ecdsa_public",
            "ssh_host_key_ed25519_public", "ssh_host_key_rsa_public", "ssh_host_pub_keys", "ssh_pub_keys", "system",
            "system_capabilities", "system_capabilities_enforced", "user", "user_dir", "user_gecos", "user_gid", "user_id",
            "user_shell", "user_uid", "virtualization_role", "virtualization_type");
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("filter", ArgType.LIST),
            ArgSpec.optional("gather_subset", ArgType.LIST),
            ArgSpec.optional("gather_timeout", ArgType.INT, 10));

    /** The filter patterns as regular expressions over the {@code ansible_} names; empty: every fact. */
    public record SetupArgs(List<Pattern> filter) {}

    @Override
    public String name() {
        return "setup";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public SetupArgs bind(Args a) throws ArgException {
        for (String s : a.strings("gather_subset")) {
            String name = s.strip().startsWith("!") ? s.strip().substring(1) : s.strip();
            if (!SUBSETS.contains(name)) throw new ArgException("gather_subset", "unknown subset '" + s + "'");
        }
        List<Pattern> filter = new ArrayList<>();
        for (String s : a.strings("filter")) if (!s.isBlank()) filter.add(fnmatch(s.strip()));
        return new SetupArgs(List.copyOf(filter));
    }

    @Override
    public List<Fact<?>> reads(SetupArgs args) {
        return List.of(new HostFacts());
    }

    @Override
    public Plan plan(SetupArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Map<String, Object> gathered = new TreeMap<>();
        for (Map.Entry<String, Object> e : facts.get(new HostFacts()).entrySet()) {
            String name = "ansible_" + e.getKey();
            if (args.filter().isEmpty() || args.filter().stream().anyMatch(p -> p.matcher(name).matches())) gathered.put(name, e.getValue());
        }
        return Plan.converged().withResult(Map.of("ansible_facts", gathered));
    }

    /** Python's fnmatch: {@code *}, {@code ?}, {@code [seq]} and {@code [!seq]}; everything else literal. */
    static Pattern fnmatch(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else if (c == '[' && glob.indexOf(']', i + 1) > i + 1) {
                int j = glob.indexOf(']', i + 1);
                String set = glob.substring(i + 1, j);
                re.append('[').append(set.startsWith("!") ? "^" + Pattern.quote(set.substring(1)) : Pattern.quote(set)).append(']');
                i = j;
            } else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
