package dev.moat.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.ArgException;
import dev.moat.module.ArgSpec;
import dev.moat.module.ArgType;
import dev.moat.module.Args;
import dev.moat.module.Spec;
import dev.moat.template.Templar;
import dev.moat.yaml.LoadWarning;
import dev.moat.yaml.ListNode;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Mark;
import dev.moat.yaml.Node;
import dev.moat.yaml.ScalarNode;
import dev.moat.yaml.YamlException;

/**
 * A task's module arguments, in any of the forms Ansible takes, checked against the module's spec:
 * a mapping ({@code copy: {dest: /x}}), a free-form string for modules that have one
 * ({@code command: ls -l chdir=/tmp}), inline {@code key=value} pairs for the others
 * ({@code copy: dest=/x content="hi there"}), plus the {@code args:} keyword (the module line wins).
 * Values holding templates are checked only for their names at load time; their types are checked
 * after rendering, at run time.
 */
final class ModuleArgs {
    final Map<String, Object> args = new LinkedHashMap<>();
    final Map<String, Mark> marks = new LinkedHashMap<>();
    final List<LoadWarning> warnings = new ArrayList<>();

    private ModuleArgs() {}

    static ModuleArgs empty() {
        return new ModuleArgs();
    }

    static ModuleArgs read(MapNode task, String key, String module, Spec spec) {
        ModuleArgs a = new ModuleArgs();
        MapNode extra = Nodes.map(task, "args");
        if (extra != null) a.addMap(extra, spec);
        Node v = task.get(key);
        Mark at = v != null ? v.mark() : task.keyMark(key);
        if (v instanceof MapNode m) {
            a.addMap(m, spec);
        } else if (v instanceof ScalarNode s && s.value() != null) {
            if (!(s.value() instanceof String text)) {
                throw new YamlException(at, module + ": expected arguments (a mapping or key=value pairs), not " + Nodes.kind(v));
            }
            a.addInline(text, s, module, spec);
        } else if (v != null && !(v instanceof ScalarNode)) {
            throw new YamlException(at, module + ": expected arguments (a mapping or key=value pairs), not " + Nodes.kind(v));
        }
        a.validate(module, spec, task.keyMark(key));
        return a;
    }

    /**
     * The arguments of a module moat does not have, as written and unchecked: a mapping, or a
     * free-form string kept as {@code _raw_params}. Only a host that reaches the task looks at them.
     */
    static ModuleArgs raw(MapNode task, String key) {
        ModuleArgs a = new ModuleArgs();
        MapNode extra = Nodes.map(task, "args");
        if (extra != null) a.addMap(extra, null);
        Node v = task.get(key);
        if (v instanceof MapNode m) {
            a.addMap(m, null);
        } else if (v instanceof ScalarNode s && s.value() != null) {
            Nodes.checkTemplate(s, key);
            a.put(RAW, s.text(), s.mark());
        } else if (v instanceof ListNode) {
            throw new YamlException(v.mark(), key + ": expected arguments (a mapping or key=value pairs), not a list");
        }
        return a;
    }

    /** The free-form text of a module that takes one, as Ansible names it. */
    static final String RAW = "_raw_params";

    private void addMap(MapNode m, Spec spec) {
        m.entries().forEach((k, n) -> {
            Nodes.checkTemplates(n, k);
            args.put(k, n == null ? null : n.toPlain());
            marks.put(k, m.keyMark(k));
            if (n instanceof ScalarNode s && spec != null && spec.find(k).map(a -> a.type() == ArgType.MODE).orElse(false)) decimalMode(k, s);
        });
    }

    /**
     * An unquoted mode written as a decimal number ({@code mode: 600}) is taken as that number, as
     * Ansible does (600 is 01130: setuid-free but sticky and odd), which is rarely what was meant;
     * {@code 0644} is YAML 1.1 octal and fine. Ansible says nothing; moat warns.
     */
    private void decimalMode(String key, ScalarNode s) {
        if (!(s.value() instanceof Number n) || s.written() == null || s.written().matches("0[0-7_]*")) return;
        warnings.add(new LoadWarning(s.mark(), key + ": " + s.written() + " is a decimal number, which Ansible and moat take as mode 0"
                + Long.toOctalString(n.longValue()) + "; write 0" + s.written() + " or '" + s.written() + "' for octal " + s.written()));
    }

    private void addInline(String text, ScalarNode s, String module, Spec spec) {
        Nodes.checkTemplate(s, module);
        List<KeyValue.Token> tokens;
        try {
            tokens = KeyValue.split(text);
        } catch (IllegalArgumentException e) {
            throw new YamlException(s.mark(), module + ": cannot read the inline arguments: " + e.getMessage());
        }
        if (spec.freeForm() != null) {
            List<String> rest = new ArrayList<>();
            boolean took = false;
            for (KeyValue.Token t : tokens) {
                if (t.isPair() && !t.key().equals(spec.freeForm()) && spec.find(t.key()).isPresent()) {
                    put(t.key(), t.value(), s.mark());
                    took = true;
                } else {
                    rest.add(t.raw());
                }
            }
            String free = took ? String.join(" ", rest) : text.strip();
            if (!free.isEmpty()) put(spec.freeForm(), free, s.mark());
            return;
        }
        for (KeyValue.Token t : tokens) {
            if (!t.isPair()) {
                throw new YamlException(s.mark(), module + ": '" + t.raw() + "' is not key=value; " + module
                        + " takes no free-form argument (write key=value pairs or a mapping)");
            }
            put(t.key(), t.value(), s.mark());
        }
    }

    void put(String k, Object v, Mark m) {
        args.put(k, v);
        marks.put(k, m);
    }

    /** Names, required arguments, exclusions and literal types, against the spec. */
    void validate(String module, Spec spec, Mark moduleMark) {
        List<String> valid = new ArrayList<>();
        for (ArgSpec a : spec.args()) valid.add(a.name());
        for (String k : args.keySet()) {
            if (spec.find(k).isEmpty()) {
                throw new YamlException(marks.get(k), module + ": unknown argument '" + k + "'" + Suggest.hint(k, valid)
                        + " (valid: " + String.join(", ", valid) + ")");
            }
        }
        // Templated values are checked for presence now and for type after rendering.
        List<ArgSpec> relaxed = new ArrayList<>();
        for (ArgSpec a : spec.args()) {
            boolean templated = false;
            for (Map.Entry<String, Object> e : args.entrySet()) {
                if (spec.find(e.getKey()).get().name().equals(a.name()) && Templar.containsTemplate(e.getValue())) templated = true;
            }
            relaxed.add(templated ? new ArgSpec(a.name(), ArgType.RAW, a.required(), null, List.of(), a.aliases(), a.secret()) : a);
        }
        Spec check = new Spec(relaxed, spec.freeForm(), spec.exclusive(), spec.oneOf());
        try {
            Args.check(check, args);
        } catch (ArgException e) {
            throw new YamlException(markOf(spec, e.arg(), moduleMark), module + ": " + e.getMessage());
        }
    }

    private Mark markOf(Spec spec, String arg, Mark fallback) {
        if (arg == null) return fallback;
        for (Map.Entry<String, Mark> e : marks.entrySet()) {
            if (e.getKey().equals(arg) || spec.find(e.getKey()).map(a -> a.name().equals(arg)).orElse(false)) return e.getValue();
        }
        return fallback;
    }
}
