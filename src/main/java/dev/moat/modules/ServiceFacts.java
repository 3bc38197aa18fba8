package dev.moat.modules;

import java.util.List;
import java.util.Map;

import dev.moat.facts.ServicesFact;
import dev.moat.module.Args;
import dev.moat.module.Fact;
import dev.moat.module.Facts;
import dev.moat.module.Module;
import dev.moat.module.Plan;
import dev.moat.module.PlanContext;
import dev.moat.module.Spec;
import dev.moat.module.TaskException;

/**
 * The host's services as facts, as Ansible's {@code service_facts}: {@code ansible_facts.services}
 * (and {@code services}), each {@code {name, state, status, source}} from systemd when it is PID 1
 * and from {@code service --status-all} (sysv) otherwise ({@link ServicesFact}), in the play's
 * batched read. No services found skips the task with Ansible's message. Read-only: nothing to undo.
 *
 * <pre>
 * - service_facts:
 * - debug: {msg: "nvidia-persistenced is {{ ansible_facts.services['nvidia-persistenced.service'].state }}"}
 * </pre>
 */
public final class ServiceFacts implements Module<Args> {
    @Override
    public String name() {
        return "service_facts";
    }

    @Override
    public Spec spec() {
        return Spec.of();
    }

    @Override
    public Args bind(Args a) {
        return a;
    }

    @Override
    public List<Fact<?>> reads(Args args) {
        return List.of(ServicesFact.fact());
    }

    @Override
    public Plan plan(Args args, Facts facts, PlanContext ctx) throws TaskException {
        Map<String, Map<String, Object>> services = facts.get(ServicesFact.fact());
        if (services.isEmpty()) return Plan.skipped("Failed to find any services. This can be due to privileges or some other configuration issue.");
        return Plan.converged().withResult(Map.of("ansible_facts", Map.of("services", services)));
    }
}
