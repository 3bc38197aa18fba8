package dev.moat.template.internal;

import java.beans.FeatureDescriptor;
import java.util.Iterator;

import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/** An EL resolver that resolves nothing unless a subclass says so, and writes nothing. */
abstract class ReadOnlyResolver extends ELResolver {
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return Object.class;
    }
}
