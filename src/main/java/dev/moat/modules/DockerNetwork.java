package dev.moat.modules;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

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
import dev.moat.modules.docker.DockerArgs;
import dev.moat.modules.docker.DockerFact;
import dev.moat.transport.Sh;

/**
 * A Docker network, as {@code community.docker.docker_network}: created with its driver and IPAM
 * subnets, removed with {@code state: absent}. A network whose driver, {@code internal} flag or
 * IPAM configuration differs from the one asked for is removed and created again, as the
 * collection does; moat refuses that while containers are attached (the collection disconnects
 * them; moat does not reconnect them afterwards, so it names them instead).
 *
 * <p>Undo: a network the run created is removed. One it removed or recreated cannot be put back by
 * moat; the undo says so with its old settings.
 *
 * <pre>
 * - community.docker.docker_network:
 *     name: inference
 *     ipam_config: [{subnet: 172.30.0.0/24, gateway: 172.30.0.1}]
 * </pre>
 */
public final class DockerNetwork implements Module<DockerNetwork.NetworkArgs> {
    static final Spec SPEC = Spec.of(
            ArgSpec.required("name", ArgType.STRING).withAliases("network_name"),
            ArgSpec.optional("driver", ArgType.STRING, "bridge"),
            ArgSpec.optional("internal", ArgType.BOOL),
            ArgSpec.optional("ipam_config", ArgType.LIST),
            ArgSpec.choice("state", "present", "present", "absent"));

    /** One IPAM pool; null fields were not given. */
    public record Pool(String subnet, String gateway, String ipRange) {}

    public record NetworkArgs(String name, String driver, Boolean internal, List<Pool> pools, boolean present) {}

    @Override
    public String name() {
        return "docker_network";
    }

    @Override
    public Spec spec() {
        return SPEC;
    }

    @Override
    public NetworkArgs bind(Args a) throws ArgException {
        List<Pool> pools = null;
        if (a.has("ipam_config")) {
            pools = new ArrayList<>();
            for (Object o : a.list("ipam_config")) {
                if (!(o instanceof Map<?, ?> m)) throw new ArgException("ipam_config", "ipam_config: each entry is a dictionary");
                for (Object k : m.keySet()) {
                    if (!String.valueOf(k).matches("subnet|gateway|iprange")) {
                        throw new ArgException("ipam_config", "ipam_config: unsupported key '" + k + "' (subnet, gateway, iprange)");
                    }
                }
                pools.add(new Pool(str(m.get("subnet")), str(m.get("gateway")), str(m.get("iprange"))));
            }
        }
        String driver = DockerArgs.checkName("driver", a.str("driver", "bridge"));
        return new NetworkArgs(DockerArgs.name(a, "name"), driver, a.has("internal") ? a.bool("internal") : null, pools,
                a.str("state", "present").equals("present"));
    }

    private static String str(Object o) throws ArgException {
        if (o == null) return null;
        String s = String.valueOf(o);
        if (!s.matches("[0-9a-fA-F.:/]+")) throw new ArgException("ipam_config", "ipam_config: '" + s + "' is not an address or subnet");
        return s;
    }

    @Override
    public List<Fact<?>> reads(NetworkArgs n) {
        return List.of(new DockerFact("network", n.name()));
    }

    @Override
    public Plan plan(NetworkArgs n, Facts facts, PlanContext ctx) throws TaskException {
        return plan(n, facts.get(new DockerFact("network", n.name())));
    }

    static Plan plan(NetworkArgs n, JsonNode net) throws TaskException {
        boolean exists = net != null && !net.isMissingNode();
        Plan.Builder b = Plan.builder();
        String key = new DockerFact("network", n.name()).key();
        if (!n.present()) {
            if (!exists) return Plan.converged();
            refuseAttached(n, net, "remove");
            b.step(Step.run("remove network " + n.name(), "docker network rm " + Sh.q(n.name()) + " >/dev/null"));
            b.diff(Diff.of("network " + n.name(), describe(net), "absent"));
            b.undo(new Undo.Irreversible("network " + n.name() + " removed (it was " + describe(net).replace('\n', ' ') + ")"));
            return b.touches(key).build();
        }
        List<String> why = exists ? differences(n, net) : List.of();
        if (exists && why.isEmpty()) return Plan.converged().withResult(Map.of("network", net));
        if (exists) {
            refuseAttached(n, net, "recreate");
            b.step(Step.run("remove network " + n.name() + " to recreate it (" + String.join("; ", why) + ")", "docker network rm " + Sh.q(n.name()) + " >/dev/null"));
            b.undo(new Undo.Irreversible("network " + n.name() + " recreated (it was " + describe(net).replace('\n', ' ') + ")"));
        } else {
            b.undo(new Undo.RemoveDocker("network", n.name()));
        }
        b.step(Step.run("create network " + n.name(), create(n)));
        b.diff(Diff.of("network " + n.name(), exists ? describe(net) : "absent", String.join("\n", want(n))));
        return b.touches(key).touches("docker:host").build();
    }

    static String create(NetworkArgs n) {
        StringBuilder s = new StringBuilder("docker network create --driver ").append(Sh.q(n.driver()));
        if (Boolean.TRUE.equals(n.internal())) s.append(" --internal");
        if (n.pools() != null) {
            for (Pool p : n.pools()) {
                if (p.subnet() != null) s.append(" --subnet ").append(Sh.q(p.subnet()));
                if (p.gateway() != null) s.append(" --gateway ").append(Sh.q(p.gateway()));
                if (p.ipRange() != null) s.append(" --ip-range ").append(Sh.q(p.ipRange()));
            }
        }
        return s.append(' ').append(Sh.q(n.name())).append(" >/dev/null").toString();
    }

    /** What differs, as the collection compares: driver, internal, and each pool given against the network's (by subnet). */
    static List<String> differences(NetworkArgs n, JsonNode net) {
        List<String> why = new ArrayList<>();
        if (!n.driver().equals(net.path("Driver").asText())) why.add("driver " + net.path("Driver").asText() + " → " + n.driver());
        if (n.internal() != null && n.internal() != net.path("Internal").asBoolean(false)) why.add("internal → " + n.internal());
        if (n.pools() != null) {
            JsonNode have = net.path("IPAM").path("Config");
            if (have.size() != n.pools().size()) why.add("ipam_config: " + have.size() + " pool(s) → " + n.pools().size());
            for (Pool p : n.pools()) {
                JsonNode match = null;
                for (JsonNode h : have) if (p.subnet() == null || p.subnet().equals(h.path("Subnet").asText())) match = h;
                if (match == null) why.add("ipam_config: subnet " + p.subnet() + " is missing");
                else {
                    if (p.gateway() != null && !p.gateway().equals(match.path("Gateway").asText())) why.add("ipam_config: gateway → " + p.gateway());
                    if (p.ipRange() != null && !p.ipRange().equals(match.path("IPRange").asText())) why.add("ipam_config: iprange → " + p.ipRange());
                }
            }
        }
        return why;
    }

    private static void refuseAttached(NetworkArgs n, JsonNode net, String what) throws TaskException {
        List<String> names = new ArrayList<>();
        for (Iterator<JsonNode> it = net.path("Containers").elements(); it.hasNext(); ) names.add(it.next().path("Name").asText());
        if (!names.isEmpty()) {
            throw new TaskException("docker_network: cannot " + what + " network " + n.name() + " while containers are attached: "
                    + String.join(", ", names) + " (moat does not disconnect them; stop or disconnect them first)");
        }
    }

    private static String describe(JsonNode net) {
        List<String> out = new ArrayList<>();
        out.add("driver " + net.path("Driver").asText());
        if (net.path("Internal").asBoolean(false)) out.add("internal");
        for (JsonNode c : net.path("IPAM").path("Config")) out.add("subnet " + c.path("Subnet").asText() + " gateway " + c.path("Gateway").asText(""));
        return String.join("\n", out);
    }

    private static List<String> want(NetworkArgs n) {
        List<String> out = new ArrayList<>();
        out.add("driver " + n.driver());
        if (Boolean.TRUE.equals(n.internal())) out.add("internal");
        if (n.pools() != null) for (Pool p : n.pools()) out.add("subnet " + p.subnet() + " gateway " + (p.gateway() == null ? "" : p.gateway()));
        return out;
    }
}
