package dev.moat.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pure: decides, for every container not made by Compose that publishes an in-scope port outside
 * loopback, how to put that port on the bind address, or why moat refuses to. Compose's containers
 * (both {@link Container#PROJECT} and {@link Container#SERVICE} labels, {@link Container#compose()})
 * are {@code compose_ports}' and skipped here; everything else is this planner's, so no exposed
 * container falls between the two.
 *
 * <p>A container is refused (the task fails, naming it and its ports) when recreating it would not
 * be the same container: paused or restarting; {@code --privileged} (it sees every host device and
 * may rely on host state inspect does not describe); {@code --volumes-from}; {@code --cidfile};
 * another container shares its namespaces, takes its volumes or links to it; more than
 * {@code maxWritable} bytes written into its own writable layer (lost with it); several networks on
 * a Docker API older than 1.44 (one create cannot attach them); no curl; or a start file that runs
 * it with a {@code -p} moat cannot rewrite, so its next start would publish the port again.
 */
public final class RunPlanner {
    private final String bind;
    private final PortFilter filter;
    private final long maxWritable;

    public RunPlanner(String bind, PortFilter filter, long maxWritable) {
        this.bind = Ip.strip(bind);
        this.filter = filter;
        this.maxWritable = maxWritable;
    }

    public RunDecision decide(List<Container> containers, DockerHostFact.DockerHost host, List<StartFilesFact.StartFile> files) {
        List<RunDecision.Recreation> recreate = new ArrayList<>();
        List<RunDecision.UnitRestart> restart = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<DockerRun> runs = new ArrayList<>();
        List<String> runUnits = new ArrayList<>();
        for (StartFilesFact.StartFile f : files) {
            for (DockerRun r : DockerRun.find(f.path(), f.text())) {
                runs.add(r);
                runUnits.add(f.unit());
            }
        }
        for (Container c : containers) {
            if (c.compose()) continue;
            List<Binding> exposed = c.exposed(bind, filter);
            if (exposed.isEmpty()) continue;
            ContainerConfig cfg = c.config();
            String ports = join(exposed);
            if (cfg.known() && !cfg.publishes()) {
                notes.add(c.name() + " runs in network mode " + cfg.networkMode() + ": Docker publishes none of its ports (" + ports + ")");
                continue;
            }
            String why = refusal(c, cfg, containers, host);
            List<Integer> hostPorts = new ArrayList<>();
            for (Binding b : exposed) if (b.hostNumber() > 0 && !hostPorts.contains(b.hostNumber())) hostPorts.add(b.hostNumber());
            String supervisor = null;
            boolean started = false;
            for (int i = 0; i < runs.size(); i++) {
                DockerRun r = runs.get(i);
                if (!starts(r, c, hostPorts)) continue;
                started = true;
                for (DockerRun.Publish p : r.unreadable()) {
                    if (why == null) why = r.file() + " starts it with -p " + p.raw() + ", which moat cannot rewrite: its next start would publish the port again";
                }
                if (!r.detach() && runUnits.get(i) != null) supervisor = runUnits.get(i);
            }
            if (why != null) {
                refusals.add(c.name() + " publishes " + ports + " and cannot be recreated safely: " + why);
                continue;
            }
            if (supervisor != null) {
                restart.add(new RunDecision.UnitRestart(supervisor, c.name(), exposed, hostPorts));
                continue;
            }
            recreate.add(recreation(c, cfg, host, exposed, notes));
            if (!started && cfg.running() && !cfg.restartsByItself()) {
                notes.add("moat cannot tell how " + c.name() + " is started again (restart policy " + cfg.restartPolicy()
                        + ", no unit or script found that runs it): 'docker start' keeps it on " + bind
                        + "; a new 'docker run -p' would publish again");
            }
        }
        List<RunDecision.FilePatch> patches = new ArrayList<>();
        for (StartFilesFact.StartFile f : files) {
            String after = DockerRun.patch(f.path(), f.text(), bind, filter);
            if (!after.equals(f.text())) patches.add(new RunDecision.FilePatch(f.path(), f.unitFile(), f.text(), after));
            for (DockerRun r : DockerRun.find(f.path(), f.text())) {
                for (DockerRun.Publish p : r.unreadable()) notes.add(f.path() + ": -p " + p.raw() + " left as is (moat cannot read it)");
            }
        }
        return new RunDecision(recreate, restart, patches, refusals, notes);
    }

    private String refusal(Container c, ContainerConfig cfg, List<Container> all, DockerHostFact.DockerHost host) {
        if (!cfg.known()) return "its configuration was not read";
        if (cfg.paused()) return "it is paused";
        if (cfg.restarting()) return "it is restarting (its process keeps exiting)";
        if (cfg.privileged()) return "it runs --privileged: it sees every host device and may rely on host state inspect does not describe";
        if (!cfg.volumesFrom().isEmpty()) return "it takes volumes from " + String.join(", ", cfg.volumesFrom()) + " (--volumes-from)";
        if (!cfg.cidFile().isEmpty()) return "it was started with --cidfile " + cfg.cidFile() + ", which would name the removed container";
        for (Container o : all) {
            if (o != c && o.config().dependsOn(cfg)) return "container " + o.name() + " shares its namespaces, takes its volumes or links to it";
        }
        long w = host.extra(c.id()).writable();
        if (w > maxWritable) {
            return "it wrote " + (w >> 20) + " MiB into its own writable layer, not a volume, which recreating it would lose;"
                    + " move that data into a volume (or raise max_writable_mb)";
        }
        if (cfg.networks().size() > 1 && older(host.api(), "1.44")) {
            return "it is attached to " + cfg.networks().size() + " networks and Docker's API " + host.api() + " (older than 1.44) cannot create it so";
        }
        if (!host.curl()) return "curl is not installed, and moat recreates containers through the Docker Engine API with it";
        return null;
    }

    private RunDecision.Recreation recreation(Container c, ContainerConfig cfg, DockerHostFact.DockerHost host, List<Binding> exposed,
                                              List<String> notes) {
        String now = host.extra(c.id()).imageNow();
        String image = cfg.imageRef().isEmpty() || !now.equals(cfg.imageId()) ? null : cfg.imageRef();
        if (image == null) notes.add(c.name() + " is made again from its image ID " + cfg.imageId() + ": " + cfg.imageRef() + " now names another image");
        String asked = image == null ? cfg.imageId() : image;
        Map<String, List<Binding>> rebound = CreateBody.rebind(cfg.portBindings(), bind, filter);
        List<Binding> after = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (Binding b : exposed) if (!ports.contains(b.containerPort())) ports.add(b.containerPort());
        for (String p : ports) after.addAll(rebound.getOrDefault(p, List.of()));
        return new RunDecision.Recreation(c.name(), c.id(), cfg.running(), exposed, after, image, cfg.imageId(),
                CreateBody.original(cfg, asked), CreateBody.of(cfg, asked, rebound), goJson(rebound), ports);
    }

    /** Whether a {@code docker run} line starts {@code c}: by its {@code --name}, or without one, by a host port it publishes. */
    private static boolean starts(DockerRun r, Container c, List<Integer> hostPorts) {
        if (r.name() != null) return r.name().equals(c.name());
        for (DockerRun.Publish p : r.publishes()) {
            if (p.spec() == null || p.spec().host() == null) continue;
            for (int h : hostPorts) if (p.spec().host().overlaps(new PortRange(h, h))) return true;
        }
        return false;
    }

    /** The bindings as the docker CLI prints {@code {{json .HostConfig.PortBindings}}}: keys sorted, HostIp then HostPort. */
    static String goJson(Map<String, List<Binding>> bindings) {
        StringBuilder s = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, List<Binding>> e : new TreeMap<>(bindings).entrySet()) {
            if (!first) s.append(',');
            first = false;
            s.append('"').append(e.getKey()).append("\":[");
            for (int i = 0; i < e.getValue().size(); i++) {
                Binding b = e.getValue().get(i);
                if (i > 0) s.append(',');
                s.append("{\"HostIp\":\"").append(b.hostIp()).append("\",\"HostPort\":\"").append(b.hostPort()).append("\"}");
            }
            s.append(']');
        }
        return s.append('}').toString();
    }

    static boolean older(String api, String than) {
        if (api == null || api.isEmpty()) return false;
        String[] a = api.split("\\.");
        String[] b = than.split("\\.");
        try {
            for (int i = 0; i < Math.max(a.length, b.length); i++) {
                int x = i < a.length ? Integer.parseInt(a[i]) : 0;
                int y = i < b.length ? Integer.parseInt(b[i]) : 0;
                if (x != y) return x < y;
            }
        } catch (NumberFormatException e) {
            return false;
        }
        return false;
    }

    private static String join(List<Binding> bs) {
        List<String> out = new ArrayList<>();
        for (Binding b : bs) out.add(b.toString());
        return String.join(", ", out);
    }
}
