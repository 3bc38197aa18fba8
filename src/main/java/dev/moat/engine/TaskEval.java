package dev.moat.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.ArgException;
import dev.moat.module.Args;
import dev.moat.module.Module;
import dev.moat.module.PlanContext;
import dev.moat.module.TaskException;
import dev.moat.playbook.Task;
import dev.moat.playbook.VarScope;
import dev.moat.template.Templar;
import dev.moat.template.Vars;

/**
 * A task's templated parts rendered against a host's variables: its conditions, its loop items,
 * its module arguments and the context its module plans in. Shared by the play's control flow
 * ({@link HostPlay}) and its read-ahead ({@link ReadAhead}), which must see a task alike.
 */
final class TaskEval {
    /** The one "item" of a task without {@code loop}. */
    static final Object NO_LOOP = new Object();

    private final String host;
    private final RunContext run;

    TaskEval(String host, RunContext run) {
        this.host = host;
        this.run = run;
    }

    Templar templar() {
        return run.templar();
    }

    boolean conditionsHold(List<String> conditions, Vars vars) throws TaskException {
        for (String c : conditions) if (!templar().test(c, vars)) return false;
        return true;
    }

    /** The task's loop items, or the single {@link #NO_LOOP}. */
    List<Object> loopItems(Task t, VarScope vars) throws TaskException {
        return loopItems(t.loop(), t.loopLookup(), lookupSubdir(t.module()), vars);
    }

    List<Object> loopItems(Object loop, String lookup, VarScope vars) throws TaskException {
        return loopItems(loop, lookup, "files", vars);
    }

    /**
     * Where a {@code with_<lookup>} loop's lookup looks for relative files, as Ansible's
     * TaskExecutor tells it: {@code templates} for a module named like {@code template}, {@code vars}
     * for one named like {@code include_vars}, else {@code files} ({@code with_first_found} under
     * {@code include_vars} finds the role's {@code vars/Debian.yml}).
     */
    static String lookupSubdir(String module) {
        if (module == null) return "files";
        for (String s : List.of("template", "var", "file")) if (module.contains(s)) return s + "s";
        return "files";
    }

    /**
     * The items of {@code loop:} (a list; a mapping or a string is Ansible's error), or of
     * {@code with_<lookup>:} as Ansible's lookup of that name gives them ({@link LoopLookups}); any
     * other lookup is {@code query(lookup, term, ...)} over the terms.
     */
    List<Object> loopItems(Object loop, String lookup, String subdir, VarScope vars) throws TaskException {
        if (loop == null) return List.of(NO_LOOP);
        Object l = templar().render(loop, vars);
        if (lookup == null) {
            if (l instanceof List<?> list) return new ArrayList<>(list);
            throw new TaskException("Invalid data passed to 'loop', it requires a list, got this instead: " + repr(l)
                    + ". Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.");
        }
        List<Object> terms = l instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>(java.util.Collections.singletonList(l));
        if (LoopLookups.NAMES.contains(lookup)) return LoopLookups.items(lookup, terms, this::repr);
        Map<String, Object> locals = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            locals.put("__moat_term" + i, terms.get(i));
            args.add("__moat_term" + i);
        }
        locals.put(dev.moat.template.FileSearch.LOOP_SUBDIR, subdir);
        Object r = templar().eval("query('" + lookup + "'" + (args.isEmpty() ? "" : ", " + String.join(", ", args)) + ")", vars.withLocals(locals));
        if (!(r instanceof List<?> list)) throw new TaskException("with_" + lookup + ": the lookup gave '" + r + "', not a list");
        return new ArrayList<>(list);
    }

    /** A value as Python prints it ({@code {'a': 1}}), as Ansible's messages show values. */
    String repr(Object v) {
        if (v instanceof String s) return s;
        return templar().renderString("{{ __moat_v }}", Vars.of(java.util.Collections.singletonMap("__moat_v", v)));
    }

    /**
     * The variables of loop item {@code index} of {@code items}: {@code loop_var}, {@code index_var}
     * if asked (0-based, as Ansible), and with {@code extended}, {@code ansible_loop}.
     */
    static VarScope withItem(dev.moat.playbook.LoopControl lc, VarScope vars, List<Object> items, int index) {
        return vars.withLocals(locals(lc, items, index));
    }

    /** {@code loop_var}, {@code index_var} and {@code ansible_loop} of loop item {@code index}, as Ansible registers them too. */
    static Map<String, Object> locals(dev.moat.playbook.LoopControl lc, List<Object> items, int index) {
        Map<String, Object> locals = new LinkedHashMap<>();
        locals.put(lc.loopVar(), items.get(index));
        if (lc.indexVar() != null) locals.put(lc.indexVar(), index);
        if (lc.extended()) {
            Map<String, Object> loop = new LinkedHashMap<>();
            if (lc.extendedAllItems()) loop.put("allitems", items);
            loop.put("first", index == 0);
            loop.put("index", index + 1);
            loop.put("index0", index);
            loop.put("last", index == items.size() - 1);
            loop.put("length", items.size());
            if (index + 1 < items.size()) loop.put("nextitem", items.get(index + 1));
            if (index > 0) loop.put("previtem", items.get(index - 1));
            loop.put("revindex", items.size() - index);
            loop.put("revindex0", items.size() - index - 1);
            locals.put("ansible_loop", loop);
        }
        return locals;
    }

    /** The task's arguments rendered, checked against the module's spec and bound. */
    Object bind(Module<?> m, Task t, Vars vars) throws ArgException, TaskException {
        return bind(m, render(t, vars));
    }

    /** The task's arguments rendered. */
    Map<String, ?> render(Task t, Vars vars) throws TaskException {
        Object rendered = Templar.withoutOmitted(templar().render(t.args(), vars));
        if (!(rendered instanceof Map<?, ?> map)) throw new TaskException("the arguments did not render to a mapping");
        @SuppressWarnings("unchecked")
        Map<String, ?> args = (Map<String, ?>) map;
        return args;
    }

    /** Rendered arguments checked against the module's spec and bound. */
    Object bind(Module<?> m, Map<String, ?> rendered) throws ArgException {
        return m.bind(Args.check(m.spec(), rendered));
    }

    /**
     * Whether rendered arguments hold a secret (or what was made of one): the task's commands are then
     * kept out of -vv and its journal entries out of the run record, as a no_log task's are; its
     * result is still shown, masked.
     */
    boolean holdsSecret(Map<String, ?> rendered) {
        return templar().secrets().holds(rendered);
    }

    /** What a module may know while planning: this host, the task's check mode, files and templates (a role's first). */
    PlanContext context(Vars vars, boolean check, dev.moat.playbook.RoleScope role) {
        return context(vars, check, role, false);
    }

    /** {@code afterRollback}: a handler rerun after a rollback ({@link PlanContext#afterRollback}). */
    PlanContext context(Vars vars, boolean check, dev.moat.playbook.RoleScope role, boolean afterRollback) {
        return new PlanContext() {
            @Override public boolean afterRollback() { return afterRollback; }
            @Override public String host() { return host; }
            @Override public boolean check() { return check; }
            @Override public Path localPath(String path, String subdir) { return run.localPath(path, subdir, role == null ? null : role.path()); }
            @Override public String render(String template) throws TaskException {
                try {
                    return templar().renderFile(template, vars);
                } catch (RuntimeException e) {
                    throw new TaskException(message(e));
                }
            }
            @Override public Object eval(String expression) throws TaskException {
                try {
                    return templar().eval(expression, vars);
                } catch (RuntimeException e) {
                    throw new TaskException(message(e));
                }
            }
            /** A view: a lookup renders one variable, never all of them (hostvars holds itself). */
            @Override public Map<String, Object> vars() {
                return vars.asMap();
            }
        };
    }

    /**
     * {@code t} with its templated boolean keywords ({@code ignore_errors: "{{ ansible_check_mode }}"})
     * rendered for this host, as Ansible renders them when the task runs.
     */
    Task resolved(Task t, Vars vars) throws TaskException {
        if (t.execution().templated().isEmpty()) return t;
        Map<String, Boolean> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : t.execution().templated().entrySet()) {
            Object v;
            try {
                v = templar().render(e.getValue(), vars);
            } catch (RuntimeException ex) {
                throw new TaskException(e.getKey() + ": " + message(ex));
            }
            Boolean b = Args.toBool(v);
            if (b == null) throw new TaskException(e.getKey() + ": '" + e.getValue() + "' gave '" + v + "', not a boolean");
            values.put(e.getKey(), b);
        }
        return t.withFlags(values);
    }

    /**
     * The task's {@code environment:} rendered for this host: its play's, roles', blocks' and own
     * layers merged in order, later keys winning, as Ansible merges them.
     */
    Map<String, String> environment(Task t, Vars vars) throws TaskException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object layer : t.execution().environment()) {
            Object r;
            try {
                r = templar().render(layer, vars);
            } catch (RuntimeException e) {
                throw new TaskException("environment: " + message(e));
            }
            if (!(r instanceof Map<?, ?> m)) throw new TaskException("environment: '" + layer + "' did not give a mapping of variables");
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : v instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(v)));
        }
        return out;
    }

    /** An error as a task reports it: moat's own messages as they are, anything else with its type. */
    static String message(Exception e) {
        return e instanceof TaskException || e instanceof dev.moat.MoatException ? e.getMessage() : e.toString();
    }
}
