package dev.moat.template.internal;

import java.util.Iterator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import com.hubspot.jinjava.util.HasObjectTruthValue;

import dev.moat.template.TemplateException;

/**
 * What an undefined variable, a missing key or an unset environment variable evaluates to, in the
 * manner of Jinja's {@code StrictUndefined}: it may be tested ({@code is defined}) and replaced
 * ({@code default}), and any other use (printing, truth, iteration, comparison, a filter) fails the
 * render naming it. Jinjava itself would yield null, which prints as an empty string.
 */
public final class Undefined implements PyishSerializable, HasObjectTruthValue, Iterable<Object> {
    private final String name;
    private final String message;

    private Undefined(String name, String message) {
        this.name = name;
        this.message = message;
    }

    public static Undefined variable(String name) {
        return new Undefined(name, "undefined variable '" + name + "'");
    }

    public static Undefined key(Object key) {
        return new Undefined(String.valueOf(key), "undefined attribute '" + key + "' (no such key)");
    }

    public static Undefined of(String name, String message) {
        return new Undefined(name, message);
    }

    public String name() {
        return name;
    }

    public String message() {
        return message;
    }

    /** Records this use as the render's failure and returns the exception to throw. */
    public TemplateException use() {
        return Frame.fail(new TemplateException(message, name));
    }

    /** Throws if {@code v} is undefined. */
    public static Object require(Object v) {
        if (v instanceof Undefined u) throw u.use();
        return v;
    }

    @Override
    public String toString() {
        throw use();
    }

    @Override
    public <T extends Appendable & CharSequence> T appendPyishString(T appendable) {
        throw use();
    }

    @Override
    public void writePyishSelf(JsonGenerator gen, SerializerProvider provider) {
        throw use();
    }

    @Override
    public boolean getObjectTruthValue() {
        throw use();
    }

    @Override
    public Iterator<Object> iterator() {
        throw use();
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        throw use();
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
