package dev.moat.yaml;

import java.util.ArrayList;
import java.util.List;

/** A YAML sequence. */
public record ListNode(Mark mark, List<Node> items) implements Node {
    public ListNode {
        items = java.util.Collections.unmodifiableList(new ArrayList<>(items));
    }

    @Override
    public Object toPlain() {
        List<Object> out = new ArrayList<>();
        for (Node n : items) out.add(n == null ? null : n.toPlain());
        return out;
    }
}
