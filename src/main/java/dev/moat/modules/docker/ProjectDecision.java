package dev.moat.modules.docker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.moat.compose.Container;
import dev.moat.module.TaskException;

/**
 * What {@code docker_compose_v2} must do to a project, decided from what the host has: Compose's
 * own configuration hash of each service against the label on its containers, as {@code docker
 * compose up} itself decides to recreate, and the containers' states.
 *
 * @param create   services in scope without a container ({@code present})
 * @param recreate containers whose service's configuration changed, or all with {@code recreate: always}
 * @param start    stopped containers {@code up} starts without recreating
 * @param stop     running containers {@code stopped} stops
 * @param restart  containers {@code restarted} restarts
 * @param remove   containers {@code absent} removes, and orphans {@code remove_orphans} removes
 */
public record ProjectDecision(List<String> create, List<Container> recreate, List<Container> start, List<Container> stop,
                              List<Container> restart, List<Container> remove) {
    public boolean changes() {
        return !create.isEmpty() || !recreate.isEmpty() || !start.isEmpty() || !stop.isEmpty() || !restart.isEmpty() || !remove.isEmpty();
    }

    public static ProjectDecision decide(ComposeWant w, ComposeProjectFact.Project p) throws TaskException {
        if (p.problem() != null) throw new TaskException("docker_compose_v2: " + p.problem());
        Set<String> all = p.hashes().keySet();
        List<String> scope = w.services().isEmpty() ? new ArrayList<>(all) : w.services();
        for (String s : scope) {
            if (!all.contains(s)) throw new TaskException("docker_compose_v2: no such service: " + s + " (the project has " + String.join(", ", all) + ")");
        }
        List<String> create = new ArrayList<>();
        List<Container> recreate = new ArrayList<>();
        List<Container> start = new ArrayList<>();
        List<Container> stop = new ArrayList<>();
        List<Container> restart = new ArrayList<>();
        List<Container> remove = new ArrayList<>();
        List<Container> orphans = new ArrayList<>();
        for (Container c : p.containers()) if (!all.contains(c.service())) orphans.add(c);
        switch (w.state()) {
            case "present":
                for (String s : scope) {
                    List<Container> cs = of(p, s);
                    if (cs.isEmpty()) {
                        create.add(s);
                        continue;
                    }
                    for (Container c : cs) {
                        boolean changed = !p.hashes().get(s).equals(c.labels().get(HASH));
                        if (w.recreate().equals("always") || changed && !w.recreate().equals("never")) recreate.add(c);
                        else if (!c.running()) start.add(c);
                    }
                }
                if (w.removeOrphans()) remove.addAll(orphans);
                break;
            case "stopped":
                for (String s : scope) for (Container c : of(p, s)) if (c.running()) stop.add(c);
                break;
            case "restarted":
                for (String s : scope) restart.addAll(of(p, s));
                break;
            default: // absent
                Set<String> gone = new LinkedHashSet<>(scope);
                for (Container c : p.containers()) {
                    if (gone.contains(c.service()) || w.services().isEmpty() && (w.removeOrphans() || all.contains(c.service()))) remove.add(c);
                }
        }
        return new ProjectDecision(create, recreate, start, stop, restart, remove);
    }

    /** The label Compose puts its configuration hash in. */
    public static final String HASH = "com.docker.compose.config-hash";

    private static List<Container> of(ComposeProjectFact.Project p, String service) {
        List<Container> out = new ArrayList<>();
        for (Container c : p.containers()) if (service.equals(c.service())) out.add(c);
        return out;
    }
}
