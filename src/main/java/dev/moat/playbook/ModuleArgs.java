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

    private ModuleArgs() {}

    static ModuleArgs read(MapNode task, String key, String module, Spec spec) {
        ModuleArgs a = new ModuleArgs();
        MapNode extra = Nodes.map(task, "args");
        if (extra != null) a.addMap(extra);
        Node v = task.get(key);
        Mark at = v != null ? v.mark() : task.keyMark(key);
        if (v instanceof MapNode m) {
            a.addMap(m);
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
        if (extra != null) a.addMap(extra);
        Node v = task.get(key);
        if (v instanceof MapNode m) {
            a.addMap(m);
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

    /**
     * The arguments of an action moat runs itself: {@code set_fact} (a mapping or key=value pairs of
     * variables), {@code include_vars} (a file name, or {@code file}/{@code dir}/{@code name}/...),
     * {@code meta} (one of {@link Actions#META_ACTIONS}).
     */
    static ModuleArgs action(MapNode task, String key, String action) {
        ModuleArgs a = raw(task, key);
        Object free = a.args.get(RAW);
        Mark at = a.marks.getOrDefault(RAW, task.keyMark(key));
        switch (action) {
            case Actions.META -> {
                if (!(free instanceof String what) || !a.args.keySet().equals(java.util.Set.of(RAW))) {
                    throw new YamlException(at, "meta: expected one of " + String.join(", ", new java.util.TreeSet<>(Actions.META_ACTIONS)));
                }
                if (!Templar.isTemplate(what) && !Actions.META_ACTIONS.contains(what.strip())) {
                    throw new YamlException(at, "meta: unknown action '" + what + "'" + Suggest.hint(what.strip(), Actions.META_ACTIONS)
                            + " (meta takes: " + String.join(", ", new java.util.TreeSet<>(Actions.META_ACTIONS)) + ")");
                }
            }
            case Actions.SET_FACT -> {
                if (free instanceof String text) {
                    a.args.remove(RAW);
                    a.marks.remove(RAW);
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
                    a.args.remove(RAW);
                    Mark m = a.marks.remove(RAW);
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

    private static List<KeyValue.Token> tokens(String text, Mark at, String key) {
        try {
            return KeyValue.split(text);
        } catch (IllegalArgumentException e) {
            throw new YamlException(at, key + ": cannot read the inline arguments: " + e.getMessage());
        }
    }

    /**
     * {@code community.general.htpasswd}'s own arguments mapped onto moat's {@code htpasswd}:
     * {@code path} (dest, destfile), {@code name} (username) and {@code password} become
     * {@code users: {name: password}}; {@code mode}, {@code owner}, {@code group} pass through.
     * moat hashes with bcrypt and adds or updates users: {@code crypt_scheme} other than bcrypt and
     * {@code state: absent} are refused by name, never ignored.
     */
    static ModuleArgs htpasswd(MapNode task, String key, Spec moatSpec) {
        ModuleArgs given = raw(task, key);
        Object free = given.args.remove(RAW);
        Mark freeMark = given.marks.remove(RAW);
        if (free instanceof String text) for (KeyValue.Token t : tokens(text, freeMark, key)) given.put(t.key() == null ? t.raw() : t.key(), t.value(), freeMark);
        Map<String, String> aliases = Map.of("dest", "path", "destfile", "path", "username", "name", "hash_scheme", "crypt_scheme");
        java.util.Set<String> known = java.util.Set.of("path", "name", "password", "crypt_scheme", "state", "create", "mode", "owner", "group");
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, Mark> at = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.args.entrySet()) {
            String k = aliases.getOrDefault(e.getKey(), e.getKey());
            if (!known.contains(k)) {
                throw new YamlException(given.marks.get(e.getKey()), key + ": unknown argument '" + e.getKey() + "'" + Suggest.hint(e.getKey(), known)
                        + " (moat maps: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
            v.put(k, e.getValue());
            at.put(k, given.marks.get(e.getKey()));
        }
        Mark where = task.keyMark(key);
        for (String required : List.of("path", "name")) {
            if (!v.containsKey(required)) throw new YamlException(where, key + ": missing required argument '" + required + "'");
        }
        Object state = v.getOrDefault("state", "present");
        if (!"present".equals(state) && !Templar.containsTemplate(state)) {
            throw new YamlException(at.getOrDefault("state", where), key + ": state=" + state
                    + " (removing a user) is not supported by moat's htpasswd; list the users to keep with htpasswd's 'exclusive: true'");
        }
        Object scheme = v.get("crypt_scheme");
        if (scheme != null && !"bcrypt".equals(scheme)) {
            throw new YamlException(at.get("crypt_scheme"), key + ": crypt_scheme=" + scheme + " is not supported; moat hashes with bcrypt on the controller (write crypt_scheme: bcrypt)");
        }
        if (Boolean.FALSE.equals(v.get("create"))) {
            throw new YamlException(at.get("create"), key + ": create=false is not supported; moat's htpasswd creates the file");
        }
        if (!v.containsKey("password")) throw new YamlException(where, key + ": missing required argument 'password' (moat adds or updates the user)");
        ModuleArgs a = new ModuleArgs();
        a.put("path", v.get("path"), at.get("path"));
        Map<String, Object> users = new LinkedHashMap<>();
        users.put(String.valueOf(v.get("name")), v.get("password"));
        a.put("users", users, at.get("password"));
        for (String k : List.of("mode", "owner", "group")) if (v.containsKey(k)) a.put(k, v.get(k), at.get(k));
        a.validate("htpasswd", moatSpec, where);
        return a;
    }

    private void addMap(MapNode m) {
        m.entries().forEach((k, n) -> {
            Nodes.checkTemplates(n, k);
            args.put(k, n == null ? null : n.toPlain());
            marks.put(k, m.keyMark(k));
        });
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

    private void put(String k, Object v, Mark m) {
        args.put(k, v);
        marks.put(k, m);
    }

    /** Names, required arguments, exclusions and literal types, against the spec. */
    private void validate(String module, Spec spec, Mark moduleMark) {
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
