package dev.moat.yaml;

/**
 * A YAML value with the place it was written. Anchors and aliases are already replayed and
 * {@code <<} merge keys already merged, as Ansible's loader does.
 */
public sealed interface Node permits MapNode, ListNode, ScalarNode {
    Mark mark();

    /** This node as plain Java values: LinkedHashMap, ArrayList, String, Long/Integer, Double, Boolean or null. */
    Object toPlain();
}
