package dev.moat.template.internal;

import java.util.Map;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.Filter;

/**
 * Wraps a filter so that an undefined input or argument fails the render (Jinjava's filters would
 * take it for null, {@code length} of it for 0). {@code default}, {@code d} and {@code mandatory}
 * are not wrapped: handling undefined is their job. A filter given a secret (as its input or an
 * argument) makes a secret: the strings it returns are recorded as such, so that
 * {@code lookup('env', 'PW') | b64encode} is masked like the password.
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
        Object out = delegate.filter(var, interpreter, args, kwargs);
        Frame f = Frame.peek();
        if (f != null && !f.secrets().isEmpty() && (f.secrets().holds(var) || f.secrets().holds(args) || f.secrets().holds(kwargs == null ? null : kwargs.values()))) {
            // What a filter makes of a secret is a secret: pw | b64encode, pw | upper, pw | quote.
            f.secrets().addDerived(out instanceof java.util.Iterator<?> ? null : out, var, args, kwargs == null ? null : kwargs.values());
            f.taint();
        }
        return out;
    }
}
