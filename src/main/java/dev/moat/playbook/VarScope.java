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
 * The variables of one host in one play, layered by Ansible's precedence. Ansible's ladder has 22
 * levels (lowest first); where moat has the layer, it is named here:
 * <ul>
 *   <li>1. command line values ({@code -u}): not variables in moat</li>
 *   <li>2. role defaults: {@code ROLE_DEFAULTS} (every role of the play, the task's own role and its
 *       dependencies on top; {@link #withRole})</li>
 *   <li>3.-10. inventory and playbook group and host vars: {@code INVENTORY} (ordered by the inventory loader)</li>
 *   <li>11. host facts and cached set_facts: {@code FACTS} ({@link #addFacts}): {@code ansible_facts} and each
 *       fact as {@code ansible_NAME}, shared by every scope of this host</li>
 *   <li>12. play vars: {@code PLAY}</li>
 *   <li>13. vars_prompt: not supported</li>
 *   <li>14. play vars_files: {@code FILES}</li>
 *   <li>15. role vars ({@code vars/main.yml}): {@code ROLE_VARS} (every imported role's, the task's own on top)</li>
 *   <li>16. block vars and 17. task vars: {@code TASK} (a task's vars over its blocks', {@link #withTaskVars});
 *       moat also puts the vars of {@code include_tasks} here (Ansible's 21, include params)</li>
 *   <li>18. include_vars: {@code INCLUDED} ({@link #include}), shared by every scope of this host</li>
 *   <li>19. set_facts and registered vars: {@code REGISTERED} ({@link #register}), shared by every scope of this host</li>
 *   <li>20. role params ({@code - { role: x, param: 1 }}, include_role's vars) with the role's magic
 *       variables ({@code role_path}, ...): {@code ROLE_PARAMS}</li>
 *   <li>loop variables such as {@code item}: {@code LOCALS} ({@link #withLocals})</li>
 *   <li>22. {@code -e} extra variables: {@code EXTRA}</li>
 * </ul>
 * {@code RolesRunTest} checks each layer moat has against ansible-playbook's output on the same files.
 * Values written in the playbook, inventory, role files or {@code -e} may be templates referring to
 * other variables: they are rendered lazily, when read, in this whole scope (as Ansible does), so
 * {@code url: "http://{{ host }}:{{ port }}"} works whatever the order. Registered results and loop
 * items are data and never rendered again. A variable whose value refers back to itself is an error.
 */
public final class VarScope implements Vars {
    private static final ThreadLocal<Deque<String>> RESOLVING = ThreadLocal.withInitial(ArrayDeque::new);

    private record Layer(Map<String, Object> values, boolean templated) {}

    private static final int ROLE_DEFAULTS = 0, INVENTORY = 1, FACTS = 2, PLAY = 3, FILES = 4, ROLE_VARS = 5, TASK = 6,
            INCLUDED = 7, REGISTERED = 8, ROLE_PARAMS = 9, LOCALS = 10, EXTRA = 11;

    private final Templar templar;
    private final List<Layer> layers;
    private final Map<String, Object> registered;
    private final Map<String, Object> included;
    private final Map<String, Object> facts;
    private final Play play;

    private VarScope(Templar templar, List<Layer> layers, Map<String, Object> registered, Map<String, Object> included,
                     Map<String, Object> facts, Play play) {
        this.templar = templar;
        this.layers = List.copyOf(layers);
        this.registered = registered;
        this.included = included;
        this.facts = facts;
        this.play = play;
    }

    /** The scope of one host in {@code play}; {@code play} may be null (ad-hoc use, the REPL). */
    public static VarScope of(Templar templar, Map<String, ?> hostVars, Play play, Map<String, ?> extraVars) {
        List<Layer> layers = new ArrayList<>();
        layers.add(layer(play == null ? Map.of() : play.roleDefaults(), true));
        layers.add(layer(hostVars, true));
        Map<String, Object> facts = Collections.synchronizedMap(new LinkedHashMap<>());
        facts.put("ansible_facts", Map.of()); // defined and empty until facts are gathered, as in Ansible
        layers.add(new Layer(facts, false));
        layers.add(layer(play == null ? Map.of() : play.vars(), true));
        layers.add(layer(play == null ? Map.of() : play.filesVars(), true));
        layers.add(layer(play == null ? Map.of() : play.roleVars(), true));
        layers.add(layer(Map.of(), true)); // task vars
        Map<String, Object> included = Collections.synchronizedMap(new LinkedHashMap<>());
        layers.add(new Layer(included, true));
        Map<String, Object> registered = Collections.synchronizedMap(new LinkedHashMap<>());
        layers.add(new Layer(registered, false));
        layers.add(layer(Map.of(), true)); // role params
        layers.add(layer(Map.of(), false)); // locals
        layers.add(layer(extraVars, true));
        return new VarScope(templar, layers, registered, included, facts, play);
    }

    /**
     * This scope for a task of {@code role} (null: a task outside roles): the role's defaults over
     * every role's of the play, its vars over every imported role's, its params and magic variables.
     */
    public VarScope withRole(RoleScope role) {
        if (role == null) return this;
        List<Layer> l = new ArrayList<>(layers);
        Map<String, Object> defaults = new LinkedHashMap<>(play == null ? Map.of() : play.roleDefaults());
        defaults.putAll(role.defaults());
        Map<String, Object> vars = new LinkedHashMap<>(play == null ? Map.of() : play.roleVars());
        vars.putAll(role.vars());
        l.set(ROLE_DEFAULTS, layer(defaults, true));
        l.set(ROLE_VARS, layer(vars, true));
        l.set(ROLE_PARAMS, layer(role.paramsWithMagic(), true));
        return new VarScope(templar, l, registered, included, facts, play);
    }

    /** Records variables read by {@code include_vars}; visible to every scope of this host and play. */
    public void include(Map<String, ?> vars) {
        included.putAll(vars);
    }

    /** The variables {@code include_vars} has read so far. */
    public Map<String, Object> included() {
        synchronized (included) {
            return new LinkedHashMap<>(included);
        }
    }

    /**
     * Adds gathered facts (keys as a module returns them: {@code ansible_distribution},
     * {@code packages}): each injected as a variable of that name, as Ansible's
     * {@code inject_facts_as_vars}, and merged into {@code ansible_facts} without the
     * {@code ansible_} prefix (except {@code ansible_local}), as Ansible's {@code namespace_facts};
     * at the facts' precedence, above inventory variables.
     */
    @SuppressWarnings("unchecked")
    public void addFacts(Map<String, ?> gathered) {
        synchronized (facts) {
            Map<String, Object> all = new LinkedHashMap<>(facts.get("ansible_facts") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
            for (Map.Entry<String, ?> e : gathered.entrySet()) {
                String name = e.getKey();
                all.put(name.startsWith("ansible_") && !name.equals("ansible_local") ? name.substring("ansible_".length()) : name, e.getValue());
                facts.put(name, e.getValue());
            }
            facts.put("ansible_facts", Collections.unmodifiableMap(all));
        }
    }

    /** The facts gathered so far, as modules returned them (for {@link #addFacts} in a later play). */
    public Map<String, Object> facts() {
        synchronized (facts) {
            Map<String, Object> out = new LinkedHashMap<>(facts);
            out.remove("ansible_facts");
            return out;
        }
    }

    /**
     * Forgets the gathered facts ({@code meta: clear_facts}); {@code ansible_facts} is empty again.
     * As in Ansible, what {@code set_fact} set stays (recorded in {@code facts/clear-facts.txt}).
     */
    public void clearFacts() {
        synchronized (facts) {
            facts.clear();
            facts.put("ansible_facts", Map.of());
        }
    }

    private static Layer layer(Map<String, ?> values, boolean templated) {
        return new Layer(values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values)), templated);
    }

    /** This scope with a task's (and its blocks') {@code vars:}; registrations stay shared. */
    public VarScope withTaskVars(Map<String, ?> taskVars) {
        List<Layer> l = new ArrayList<>(layers);
        l.set(TASK, layer(taskVars, true));
        return new VarScope(templar, l, registered, included, facts, play);
    }

    /**
     * This scope with loop variables ({@code item}, the index variable) on top of the registered
     * ones, added to those it has (an included task's loop inside an include's loop sees both).
     */
    public VarScope withLocals(Map<String, ?> locals) {
        List<Layer> l = new ArrayList<>(layers);
        Map<String, Object> merged = new LinkedHashMap<>(layers.get(LOCALS).values());
        merged.putAll(locals);
        l.set(LOCALS, layer(merged, false));
        return new VarScope(templar, l, registered, included, facts, play);
    }

    /** Records a task's result ({@code register:}) or a fact; visible to every scope of this host and play. */
    public void register(String name, Object value) {
        registered.put(name, value);
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
            if (l.values() == registered || l.values() == included || l.values() == facts) {
                synchronized (l.values()) {
                    out.addAll(l.values().keySet());
                }
            } else {
                out.addAll(l.values().keySet());
            }
        }
        return out;
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
