package dev.moat.playbook;

import java.util.List;

import dev.moat.template.Templar;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;

/** Reads a task's {@code until}/{@code retries}/{@code delay} into a {@link Polling}. */
final class PollingKeys {
    private PollingKeys() {}

    static Polling read(MapNode m) {
        List<String> until = Nodes.conditions(m, "until");
        Object retries = number(m, "retries");
        Object delay = number(m, "delay");
        if (until.isEmpty() && retries == null && delay == null) return Polling.NONE;
        return new Polling(until, retries, delay);
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
