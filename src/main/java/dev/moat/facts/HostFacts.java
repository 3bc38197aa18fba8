package dev.moat.facts;

import java.util.Map;

import dev.moat.module.Fact;
import dev.moat.module.FactOutput;

/**
 * Ansible's core facts ({@code setup}), read by one snippet in the play's batched read: os-release,
 * uname, /proc (cpuinfo, meminfo, mounts, uptime), sysfs and {@code ip addr} per interface, the
 * user, the environment, python, the date, and what the service and package managers and the
 * virtualization type are told by. {@link HostFactsParser} turns the output into Ansible's keys
 * (without the {@code ansible_} prefix) with Ansible's value types.
 */
public record HostFacts() implements Fact<Map<String, Object>> {
    /** The key: no task changes what it reads in a way a later task relies on, as Ansible's facts are a snapshot too. */
    public static final String KEY = "facts:setup";
    private static final String SCRIPT = FactScripts.load("host-facts.sh");

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String script() {
        return SCRIPT;
    }

    @Override
    public Map<String, Object> parse(FactOutput out) {
        return HostFactsParser.parse(out.text());
    }
}
