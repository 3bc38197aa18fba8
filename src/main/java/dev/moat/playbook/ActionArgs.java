package dev.moat.playbook;

import java.util.List;

import dev.moat.template.Templar;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.YamlException;

/** The arguments of the {@link Actions} moat runs itself, checked when the playbook loads. */
final class ActionArgs {
    private ActionArgs() {}

    /**
     * The arguments of an action moat runs itself: {@code set_fact} (a mapping or key=value pairs of
     * variables), {@code include_vars} (a file name, or {@code file}/{@code dir}/{@code name}/...),
     * {@code meta} (one of {@link Actions#META_ACTIONS}).
     */
    static ModuleArgs read(MapNode task, String key, String action) {
        ModuleArgs a = ModuleArgs.raw(task, key);
        Object free = a.args.get(ModuleArgs.RAW);
        Mark at = a.marks.getOrDefault(ModuleArgs.RAW, task.keyMark(key));
        switch (action) {
            case Actions.META -> {
                if (!(free instanceof String what) || !a.args.keySet().equals(java.util.Set.of(ModuleArgs.RAW))) {
                    throw new YamlException(at, "meta: expected one of " + String.join(", ", new java.util.TreeSet<>(Actions.META_ACTIONS)));
                }
                if (!Templar.isTemplate(what) && !Actions.META_ACTIONS.contains(what.strip())) {
                    throw new YamlException(at, "meta: unknown action '" + what + "'" + Suggest.hint(what.strip(), Actions.META_ACTIONS)
                            + " (meta takes: " + String.join(", ", new java.util.TreeSet<>(Actions.META_ACTIONS)) + ")");
                }
            }
            case Actions.SET_FACT -> {
                if (free instanceof String text) {
                    a.args.remove(ModuleArgs.RAW);
                    a.marks.remove(ModuleArgs.RAW);
                    for (KeyValue.Token t : tokens(text, at, key)) {
                        if (!t.isPair()) throw new YamlException(at, key + ": '" + t.raw() + "' is not key=value");
                        a.put(t.key(), t.value(), at);
                    }
                }
                if (a.args.isEmpty()) throw new YamlException(at, key + ": expected variables to set (a mapping or key=value pairs)");
                for (String k : a.args.keySet()) {
                    if (!Nodes.IDENTIFIER.matcher(k).matches()) {
                        throw new YamlException(a.marks.get(k), key + ": '" + k + "' is not a valid variable name");
                    }
                }
            }
            default -> { // include_vars
                if (free != null) {
                    a.args.remove(ModuleArgs.RAW);
                    Mark m = a.marks.remove(ModuleArgs.RAW);
                    a.put("file", free, m);
                }
                for (String k : a.args.keySet()) {
                    if (!Actions.INCLUDE_VARS_ARGS.contains(k)) {
                        throw new YamlException(a.marks.get(k), key + ": unknown argument '" + k + "'" + Suggest.hint(k, Actions.INCLUDE_VARS_ARGS)
                                + " (valid: " + String.join(", ", new java.util.TreeSet<>(Actions.INCLUDE_VARS_ARGS)) + ")");
                    }
                }
                if (a.args.containsKey("file") == a.args.containsKey("dir")) {
                    throw new YamlException(at, key + ": expected a file name, or 'dir:' (one of them)");
                }
            }
        }
        return a;
    }

    static List<KeyValue.Token> tokens(String text, Mark at, String key) {
        try {
            return KeyValue.split(text);
        } catch (IllegalArgumentException e) {
            throw new YamlException(at, key + ": cannot read the inline arguments: " + e.getMessage());
        }
    }

}
