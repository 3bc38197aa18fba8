package dev.moat.playbook;

/**
 * A task's {@code loop_control:}: the name each item is bound to ({@code item} by default), an
 * optional label shown instead of the item (a template), and an optional variable for the index.
 */
public record LoopControl(String loopVar, String label, String indexVar) {
    public static final LoopControl DEFAULT = new LoopControl("item", null, null);

    public LoopControl {
        if (loopVar == null || loopVar.isBlank()) loopVar = "item";
    }
}
