package dev.moat.yaml;

import java.util.LinkedHashMap;
import java.util.Map;

/** A YAML mapping; keys are strings (as Ansible coerces them), each with the mark of its key. */
public record MapNode(Mark mark, Map<String, Node> entries, Map<String, Mark> keyMarks) implements Node {
    public MapNode {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        keyMarks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyMarks));
    }

    public Node get(String key) {
        return entries.get(key);
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Mark keyMark(String key) {
        return keyMarks.getOrDefault(key, mark);
    }

    @Override
    public Object toPlain() {
        Map<String, Object> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k, v == null ? null : v.toPlain()));
        return out;
    }
}
