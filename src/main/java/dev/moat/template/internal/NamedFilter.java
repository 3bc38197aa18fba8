package dev.moat.template.internal;

import java.util.Map;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;

/** A Jinjava filter written as a lambda: {@code (value, positional args, keyword args) -> result}. */
public final class NamedFilter implements AdvancedFilter {
    /** The filter's body. */
    @FunctionalInterface
    public interface Body {
        Object apply(Object value, Object[] args, Map<String, Object> kwargs);
    }

    private final String name;
    private final Body body;

    public NamedFilter(String name, Body body) {
        this.name = name;
        this.body = body;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        return body.apply(var, args == null ? new Object[0] : args, kwargs == null ? Map.of() : kwargs);
    }
}
