package dev.moat.playbook;

import java.util.Set;

/**
 * A task's {@code loop_control:}: the name each item is bound to ({@code item} by default), an
 * optional label shown instead of the item (a template), an optional variable for the index, a
 * pause between items, and {@code extended} ({@code ansible_loop.index}, {@code first}, ...,
 * with {@code allitems} unless {@code extended_allitems: false}).
 *
 * <pre>
 * loop_control: {loop_var: svc, index_var: i, label: "{{ svc.name }}", pause: 2, extended: true}
 * </pre>
 *
 * @param pause seconds between items (a number or a template), or null
 */
public record LoopControl(String loopVar, String label, String indexVar, Object pause, boolean extended, boolean extendedAllItems) {
    public static final LoopControl DEFAULT = new LoopControl("item", null, null, null, false, true);
    static final Set<String> KEYS = Set.of("loop_var", "label", "index_var", "pause", "extended", "extended_allitems");

    public LoopControl {
        if (loopVar == null || loopVar.isBlank()) loopVar = "item";
    }

    public LoopControl(String loopVar, String label, String indexVar) {
        this(loopVar, label, indexVar, null, false, true);
    }
}
