package dev.moat.template.internal;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;

import dev.moat.template.TemplateException;

/**
 * A render's root context: an unknown filter or test is an error (Jinjava silently yields none,
 * which would print as an empty string).
 */
public final class StrictContext extends Context {
    public StrictContext(Context parent) {
        super(parent);
    }

    @Override
    public Filter getFilter(String name) {
        Filter f = super.getFilter(name);
        if (f == null) throw Frame.fail(new TemplateException("no filter named '" + JinjaSource.displayName(name) + "'"));
        return f;
    }

    @Override
    public ExpTest getExpTest(String name) {
        ExpTest t = super.getExpTest(name);
        if (t == null) throw Frame.fail(new TemplateException("no test named '" + JinjaSource.displayName(name) + "'"));
        return t;
    }
}
