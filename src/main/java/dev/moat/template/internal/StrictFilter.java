package dev.moat.template.internal;

import java.util.Map;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.Filter;

/**
 * Wraps a filter so that an undefined input or argument fails the render (Jinjava's filters would
 * take it for null, {@code length} of it for 0). {@code default}, {@code d} and {@code mandatory}
 * are not wrapped: handling undefined is their job.
 */
public final class StrictFilter implements AdvancedFilter {
    private final Filter delegate;

    public StrictFilter(Filter delegate) {
        this.delegate = delegate;
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public boolean preserveSafeString() {
        return delegate.preserveSafeString();
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Undefined.require(var);
        if (args != null) for (Object a : args) Undefined.require(a);
        if (kwargs != null) for (Object a : kwargs.values()) Undefined.require(a);
        return delegate.filter(var, interpreter, args, kwargs);
    }
}
