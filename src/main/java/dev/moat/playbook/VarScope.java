package dev.moat.playbook;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.moat.template.Templar;
import dev.moat.template.TemplateException;
import dev.moat.template.Vars;

/**
 * The variables of one host in one play, layered by Ansible's precedence, lowest first:
 * <ol>
 *   <li>inventory variables of the host (group and host vars, magic variables; computed elsewhere)</li>
 *   <li>the host's facts ({@link #addFacts}): {@code ansible_facts} and each fact as {@code ansible_NAME}</li>
 *   <li>the play's {@code vars:}</li>
 *   <li>the play's {@code vars_files:}</li>
 *   <li>block and task {@code vars:} ({@link #withTaskVars})</li>
 *   <li>registered results and facts ({@link #register}), shared by every scope derived from this one</li>
 *   <li>loop variables such as {@code item} ({@link #withLocals})</li>
 *   <li>{@code -e} extra variables</li>
 * </ol>
 * Values written in the playbook, inventory or {@code -e} may be templates referring to other
 * variables: they are rendered lazily, when read, in this whole scope (as Ansible does), so
 * {@code url: "http://{{ host }}:{{ port }}"} works whatever the order. Registered results and loop
 * items are data and never rendered again. A variable whose value refers back to itself is an error.
 */
public final class VarScope implements Vars {
    private static final ThreadLocal<Deque<String>> RESOLVING = ThreadLocal.withInitial(ArrayDeque::new);

    private record Layer(Map<String, Object> values, boolean templated) {}

    private final Templar templar;
    private final List<Layer> layers;
    private final Map<String, Object> registered;
    private final Map<String, Object> facts;

    private VarScope(Templar templar, List<Layer> layers, Map<String, Object> registered, Map<String, Object> facts) {
        this.templar = templar;
        this.layers = List.copyOf(layers);
        this.registered = registered;
        this.facts = facts;
    }

    /** The scope of one host in {@code play}; {@code play} may be null (ad-hoc use, the REPL). */
    public static VarScope of(Templar templar, Map<String, ?> hostVars, Play play, Map<String, ?> extraVars) {
        List<Layer> layers = new ArrayList<>();
        layers.add(layer(hostVars, true));
        Map<String, Object> facts = Collections.synchronizedMap(new LinkedHashMap<>());
        facts.put("ansible_facts", Map.of()); // defined and empty until facts are gathered, as in Ansible
        layers.add(new Layer(facts, false));
        layers.add(layer(play == null ? Map.of() : play.vars(), true));
        layers.add(layer(play == null ? Map.of() : play.filesVars(), true));
        layers.add(layer(Map.of(), true)); // task vars
        Map<String, Object> registered = Collections.synchronizedMap(new LinkedHashMap<>());
        layers.add(new Layer(registered, false));
        layers.add(layer(Map.of(), false)); // locals
        layers.add(layer(extraVars, true));
        return new VarScope(templar, layers, registered, facts);
    }

    private static Layer layer(Map<String, ?> values, boolean templated) {
        return new Layer(values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values)), templated);
    }

    /** This scope with a task's (and its blocks') {@code vars:}; registrations stay shared. */
    public VarScope withTaskVars(Map<String, ?> taskVars) {
        List<Layer> l = new ArrayList<>(layers);
        l.set(4, layer(taskVars, true));
        return new VarScope(templar, l, registered, facts);
    }

    /** This scope with loop variables ({@code item}, the index variable) on top of the registered ones. */
    public VarScope withLocals(Map<String, ?> locals) {
        List<Layer> l = new ArrayList<>(layers);
        l.set(6, layer(locals, false));
        return new VarScope(templar, l, registered, facts);
    }

    /** Records a task's result ({@code register:}) or a fact; visible to every scope of this host and play. */
    public void register(String name, Object value) {
        registered.put(name, value);
    }

    /**
     * Adds gathered facts (keys as a module returns them, {@code ansible_distribution}): merged into
     * {@code ansible_facts} (without the prefix) and each injected as a variable of its own, as
     * Ansible's {@code inject_facts_as_vars}; at the facts' precedence, above inventory variables.
     */
    @SuppressWarnings("unchecked")
    public void addFacts(Map<String, ?> gathered) {
        synchronized (facts) {
            Map<String, Object> all = new LinkedHashMap<>(facts.get("ansible_facts") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
            for (Map.Entry<String, ?> e : gathered.entrySet()) {
                String name = e.getKey().startsWith("ansible_") ? e.getKey() : "ansible_" + e.getKey();
                all.put(name.substring("ansible_".length()), e.getValue());
                facts.put(name, e.getValue());
            }
            facts.put("ansible_facts", Collections.unmodifiableMap(all));
        }
    }

    /** The facts gathered so far, as {@code ansible_facts} holds them (names without the prefix). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> facts() {
        synchronized (facts) {
            return facts.get("ansible_facts") instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : Map.of();
        }
    }

    /** The registered results and facts so far. */
    public Map<String, Object> registered() {
        synchronized (registered) {
            return new LinkedHashMap<>(registered);
        }
    }

    @Override
    public boolean has(String name) {
        for (Layer l : layers) if (l.values().containsKey(name)) return true;
        return false;
    }

    @Override
    public Object get(String name) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            if (!l.values().containsKey(name)) continue;
            Object raw = l.values().get(name);
            if (!l.templated() || !Templar.containsTemplate(raw)) return raw;
            return render(name, raw);
        }
        return null;
    }

    /** The value as written, not rendered; null when undefined. */
    public Object raw(String name) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).values().containsKey(name)) return layers.get(i).values().get(name);
        }
        return null;
    }

    @Override
    public Set<String> names() {
        Set<String> out = new LinkedHashSet<>();
        for (Layer l : layers) {
            if (l.values() == registered || l.values() == facts) {
                synchronized (l.values()) {
                    out.addAll(l.values().keySet());
                }
            } else {
                out.addAll(l.values().keySet());
            }
        }
        return out;
    }

    /**
     * A read-only view of this scope as a map whose values are rendered when read: what another
     * host sees as {@code hostvars[this_host]}, so that its templated variables render lazily in
     * this host's scope, as Ansible's do. Iterating it renders every variable.
     */
    public Map<String, Object> asMap() {
        return new java.util.AbstractMap<>() {
            @Override
            public boolean containsKey(Object key) {
                return key instanceof String k && has(k);
            }

            @Override
            public Object get(Object key) {
                return key instanceof String k && has(k) ? VarScope.this.get(k) : null;
            }

            @Override
            public Set<Map.Entry<String, Object>> entrySet() {
                Set<Map.Entry<String, Object>> out = new LinkedHashSet<>();
                for (String n : names()) out.add(new java.util.AbstractMap.SimpleImmutableEntry<>(n, VarScope.this.get(n)));
                return out;
            }

            @Override
            public int size() {
                return names().size();
            }
        };
    }

    public Templar templar() {
        return templar;
    }

    private Object render(String name, Object raw) {
        Deque<String> stack = RESOLVING.get();
        if (stack.contains(name)) {
            List<String> chain = new ArrayList<>();
            for (var it = stack.descendingIterator(); it.hasNext(); ) chain.add(it.next());
            chain.add(name);
            throw new TemplateException("variable '" + name + "' refers to itself: " + String.join(" -> ", chain), name);
        }
        stack.push(name);
        try {
            return templar.render(raw, this);
        } finally {
            stack.pop();
        }
    }
}
