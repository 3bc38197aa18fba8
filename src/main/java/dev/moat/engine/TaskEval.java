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
    List<Object> loopItems(Task t, Vars vars) throws TaskException {
        if (t.loop() == null) return List.of(NO_LOOP);
        Object l = templar().render(t.loop(), vars);
        if (l instanceof List<?> list) return new ArrayList<>(list);
        if (l instanceof Map<?, ?>) throw new TaskException("loop must be a list; turn a mapping into one with dict2items");
        throw new TaskException("loop must be a list, not '" + l + "'");
    }

    /** The variables of loop item {@code index}: {@code loop_var} and, if asked, {@code index_var} (0-based, as Ansible). */
    static Vars withItem(Task t, VarScope vars, Object item, int index) {
        Map<String, Object> locals = new LinkedHashMap<>();
        locals.put(t.loopControl().loopVar(), item);
        if (t.loopControl().indexVar() != null) locals.put(t.loopControl().indexVar(), index);
        return vars.withLocals(locals);
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

    /** What a module may know while planning: this host, the task's check mode, files and templates. */
    PlanContext context(Vars vars, boolean check) {
        return new PlanContext() {
            @Override public String host() { return host; }
            @Override public boolean check() { return check; }
            @Override public Path localPath(String path, String subdir) { return run.localPath(path, subdir); }
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
            @Override public Map<String, Object> vars() {
                Map<String, Object> m = new LinkedHashMap<>();
                for (String n : vars.names()) m.put(n, vars.get(n));
                return m;
            }
        };
    }

    /** An error as a task reports it: moat's own messages as they are, anything else with its type. */
    static String message(Exception e) {
        return e instanceof TaskException || e instanceof dev.moat.MoatException ? e.getMessage() : e.toString();
    }
}
