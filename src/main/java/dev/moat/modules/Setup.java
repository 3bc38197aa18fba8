package dev.moat.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.moat.facts.GpuFacts;
import dev.moat.facts.HostFacts;
import dev.moat.facts.LocalFacts;
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
 * one of its shell patterns. The core facts are read whatever {@code gather_subset} says (it is
 * checked), in one snippet of the play's batched read; the subsets {@code local}
 * ({@code ansible_local} from {@code fact_path}, {@link LocalFacts}) and moat's own {@code gpus}
 * ({@code ansible_gpus} and {@code moat_gpus}, {@link GpuFacts}) are read only when the subset
 * includes them. A play's {@code gather_facts} runs it first, without {@code gpus} unless the play
 * can use them.
 *
 * <pre>
 * - setup:
 *     filter: [ansible_distribution*, ansible_os_family, ansible_gpus]
 *     gather_subset: [all, "!local"]
 * </pre>
 */
public final class Setup implements Module<Setup.SetupArgs> {
    /** moat's own subset: the GPUs. */
    public static final String GPUS = "gpus";
    private static final Set<String> SUBSETS = Set.of("all", "min", "hardware", "network", "virtual", "ohai", "facter",
            "all_ipv4_addresses", "all_ipv6_addresses", "apparmor", "architecture", "caps", "chroot", "cmdline", "date_time",
            "default_ipv4", "default_ipv6", "devices", "distribution", "distribution_major_version", "distribution_release",
            "distribution_version", "dns", "effective_group_ids", "effective_user_id", "env", "fibre_channel_wwn", "fips",
            "interfaces", "is_chroot", "iscsi", "kernel", "local", "lsb", "machine", "machine_id", "mounts",
            "nvme", "os_family", "pkg_mgr", "platform", "processor", "processor_cores", "processor_count", "python",
            "python_version", "real_user_id", "selinux", "service_mgr", "ssh_host_key_dsa_public", "ssh_host_key_ecdsa_public",
            "ssh_host_key_ed25519_public", "ssh_host_key_rsa_public", "ssh_host_pub_keys", "ssh_pub_keys", "system",
            "system_capabilities", "system_capabilities_enforced", "user", "user_dir", "user_gecos", "user_gid", "user_id",
            "user_shell", "user_uid", "virtualization_role", "virtualization_type", GPUS);
    static final Spec SPEC = Spec.of(
            ArgSpec.optional("filter", ArgType.LIST),
            ArgSpec.optional("gather_subset", ArgType.LIST),
            ArgSpec.optional("gather_timeout", ArgType.INT, 10),
            ArgSpec.optional("fact_path", ArgType.STRING, LocalFacts.DEFAULT_PATH));

    /**
     * The filter patterns as regular expressions over the {@code ansible_} names (empty: every fact);
     * where local facts are read from, null when the subset leaves them out; whether to read the GPUs.
     */
    public record SetupArgs(List<Pattern> filter, String factPath, boolean gpus) {}

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
        List<String> subset = new ArrayList<>();
        for (String s : a.strings("gather_subset")) {
            for (String part : s.split(",")) {
                String name = part.strip().startsWith("!") ? part.strip().substring(1) : part.strip();
                if (!SUBSETS.contains(name)) throw new ArgException("gather_subset", "unknown subset '" + part.strip() + "'");
                subset.add(part.strip());
            }
        }
        List<Pattern> filter = new ArrayList<>();
        for (String s : a.strings("filter")) if (!s.isBlank()) filter.add(fnmatch(s.strip()));
        String factPath = a.str("fact_path", LocalFacts.DEFAULT_PATH);
        if (factPath.isBlank()) throw new ArgException("fact_path", "must not be empty");
        return new SetupArgs(List.copyOf(filter), includes(subset, "local") ? factPath : null, includes(subset, GPUS) || includes(subset, "hardware") && !subset.contains("!" + GPUS));
    }

    /** Ansible's subset rule: named, or implied by {@code all} (given, or by naming only exclusions), and not excluded. */
    static boolean includes(List<String> subset, String name) {
        if (subset.contains("!" + name)) return false;
        if (subset.contains(name) || subset.contains("all")) return true;
        return !subset.contains("!all") && subset.stream().allMatch(s -> s.startsWith("!"));
    }

    @Override
    public List<Fact<?>> reads(SetupArgs args) {
        List<Fact<?>> reads = new ArrayList<>(List.of(new HostFacts()));
        if (args.factPath() != null) reads.add(new LocalFacts(args.factPath()));
        if (args.gpus()) reads.add(GpuFacts.fact());
        return reads;
    }

    @Override
    public Plan plan(SetupArgs args, Facts facts, PlanContext ctx) throws TaskException {
        Map<String, Object> all = new TreeMap<>();
        for (Map.Entry<String, Object> e : facts.get(new HostFacts()).entrySet()) all.put("ansible_" + e.getKey(), e.getValue());
        List<String> warnings = new ArrayList<>();
        if (args.factPath() != null) {
            LocalFacts.Read local = facts.get(new LocalFacts(args.factPath()));
            if (local.facts() != null) all.put("ansible_local", local.facts());
            warnings.addAll(local.warnings());
        }
        if (args.gpus()) {
            List<Map<String, Object>> gpus = facts.get(GpuFacts.fact());
            all.put("ansible_gpus", gpus);
            all.put("moat_gpus", gpus);
        }
        Map<String, Object> gathered = new TreeMap<>();
        for (Map.Entry<String, Object> e : all.entrySet()) {
            String name = e.getKey().equals("moat_gpus") ? "ansible_gpus" : e.getKey();
            if (args.filter().isEmpty() || args.filter().stream().anyMatch(p -> p.matcher(name).matches())) gathered.put(e.getKey(), e.getValue());
        }
        Plan plan = Plan.converged().withResult(warnings.isEmpty() ? Map.of("ansible_facts", gathered)
                : Map.of("ansible_facts", gathered, "warnings", List.copyOf(warnings)));
        return warnings.isEmpty() ? plan : plan.withMessage(String.join("; ", warnings));
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
