package dev.moat.playbook;

import java.util.List;
import java.util.Set;

import dev.moat.template.Templar;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;

/** Reads a task's {@code until}/{@code retries}/{@code delay} and {@code async}/{@code poll} into a {@link Polling}. */
final class PollingKeys {
    /** The modules whose step moat can run detached on the host and poll. */
    static final Set<String> ASYNC_MODULES = Set.of("command", "shell", "apt");

    private PollingKeys() {}

    static Polling read(MapNode m, String module) {
        List<String> until = Nodes.conditions(m, "until");
        Object retries = number(m, "retries");
        Object delay = number(m, "delay");
        Object async = number(m, "async");
        Object poll = number(m, "poll");
        if (async == null && poll != null) throw new YamlException(m.keyMark("poll"), "poll: the task has no 'async:'; poll is how often an async job is checked");
        if (async != null && !ASYNC_MODULES.contains(module)) {
            throw new YamlException(m.keyMark("async"), "async: moat runs " + String.join(", ", ASYNC_MODULES.stream().sorted().toList())
                    + " detached on the host, not " + module + "; drop 'async:' to run it in the foreground");
        }
        if (async != null && !until.isEmpty()) {
            throw new YamlException(m.keyMark("until"), "until: not supported together with async by moat; poll the job with async_status and until instead");
        }
        if (until.isEmpty() && async == null && retries == null && delay == null) return Polling.NONE;
        return new Polling(until, retries, delay, async, poll, m.has("async") ? m.keyMark("async") : m.has("until") ? m.keyMark("until") : m.mark());
    }

    /** A whole number, or a template that renders to one on the host; null when absent. */
    private static Object number(MapNode m, String key) {
        if (!m.has(key)) return null;
        Node n = m.get(key);
        if (n instanceof ScalarNode s && s.value() instanceof Number num && num.doubleValue() == num.longValue()) return (int) num.longValue();
        if (n instanceof ScalarNode s && s.value() instanceof String text) {
            if (Templar.isTemplate(text)) {
                Nodes.checkTemplate(n, key);
                return text;
            }
            if (text.strip().matches("-?\\d+")) return Integer.parseInt(text.strip());
        }
        throw new YamlException(Nodes.at(m, key), key + ": expected a whole number of " + (key.equals("retries") ? "retries" : "seconds")
                + ", not " + (n instanceof ScalarNode s && s.value() != null ? "'" + s.text() + "'" : Nodes.kind(n)));
    }
}
