package dev.moat.modules;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.moat.module.PlanContext;
import dev.moat.module.TaskException;

/**
 * A controller context for tests: {@code {{ name }}} substitution stands in for Jinja, expressions
 * evaluate from a fixed table, local paths resolve under a base directory.
 */
public final class FakeContext implements PlanContext {
    private final boolean check;
    private final Path base;
    private final Map<String, Object> vars = new HashMap<>();
    private final Map<String, Object> exprs = new HashMap<>();

    public FakeContext(boolean check, Path base) {
        this.check = check;
        this.base = base;
    }

    public static FakeContext apply() {
        return new FakeContext(false, Path.of("/nonexistent"));
    }

    public static FakeContext checkMode() {
        return new FakeContext(true, Path.of("/nonexistent"));
    }

    private boolean afterRollback;

    /** A handler rerun after a rollback ({@link PlanContext#afterRollback}). */
    public FakeContext afterRollingBack() {
        afterRollback = true;
        return this;
    }

    @Override
    public boolean afterRollback() {
        return afterRollback;
    }

    public FakeContext var(String name, Object value) {
        vars.put(name, value);
        return this;
    }

    public FakeContext expr(String expression, Object value) {
        exprs.put(expression, value);
        return this;
    }

    @Override
    public String host() {
        return "h1";
    }

    @Override
    public boolean check() {
        return check;
    }

    @Override
    public Path localPath(String path, String subdir) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : base.resolve(subdir).resolve(path);
    }

    @Override
    public String render(String template) throws TaskException {
        Matcher m = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}").matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            if (!vars.containsKey(m.group(1))) throw new TaskException("'" + m.group(1) + "' is undefined");
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(vars.get(m.group(1)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @Override
    public Object eval(String expression) throws TaskException {
        if (!exprs.containsKey(expression)) throw new TaskException("'" + expression + "' is undefined");
        return exprs.get(expression);
    }

    @Override
    public Map<String, Object> vars() {
        return vars;
    }
}
