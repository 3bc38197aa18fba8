package dev.moat.template.internal;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.hubspot.jinjava.el.ext.NamedParameter;

import dev.moat.template.Templar;
import dev.moat.template.TemplateException;

/**
 * Jinja's {@code cycler(*items)} and {@code joiner(sep=', ')}, and Ansible's
 * {@code now(utc=False, fmt=None)}: the globals that make objects a template keeps and calls again.
 * A joiner is called as a function ({@code j()}); {@link PySyntax} turns that call into
 * {@code j.__call__()} when {@code j} holds a {@link Joiner}.
 */
public final class Callables {
    private Callables() {}

    /** What {@code now()} reads; tests may pin it. */
    static Clock clock = Clock.systemDefaultZone();

    /** Jinja's {@code cycler}: {@code next()} gives the current item and moves on, {@code current}, {@code reset()}. */
    public static final class Cycler {
        private final List<Object> items;
        private int pos;

        Cycler(List<Object> items) {
            this.items = items;
        }

        public Object getCurrent() {
            return items.get(pos);
        }

        Object next() {
            Object current = items.get(pos);
            pos = (pos + 1) % items.size();
            return current;
        }

        Object reset() {
            pos = 0;
            return null;
        }

        @Override
        public String toString() {
            return "<jinja2.utils.Cycler object>";
        }
    }

    /** Jinja's {@code joiner}: the empty string the first time it is called, its separator after. */
    public static final class Joiner {
        private final String sep;
        private boolean used;

        Joiner(String sep) {
            this.sep = sep;
        }

        String call() {
            if (used) return sep;
            used = true;
            return "";
        }

        @Override
        public String toString() {
            return "<jinja2.utils.Joiner object>";
        }
    }

    public static Cycler cycler(Object... args) {
        List<Object> items = new ArrayList<>();
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof NamedParameter p) throw fail("cycler() got an unexpected keyword argument '" + p.getName() + "'");
            items.add(Undefined.require(a));
        }
        if (items.isEmpty()) throw fail("cycler: at least one item has to be provided");
        return new Cycler(items);
    }

    public static Joiner joiner(Object... args) {
        Map<String, Object> named = new LinkedHashMap<>();
        List<Object> positional = positional(args, named, "joiner", List.of("sep"));
        Object sep = positional.isEmpty() ? named.getOrDefault("sep", ", ") : positional.get(0);
        if (positional.size() > 1) throw fail("joiner() takes from 0 to 1 positional arguments but " + positional.size() + " were given");
        return new Joiner(PyRepr.str(sep));
    }

    /** Ansible's {@code now(utc=False, fmt=None)}: the controller's local time, or UTC; a string when {@code fmt} is given. */
    public static Object now(Object... args) {
        Map<String, Object> named = new LinkedHashMap<>();
        List<Object> positional = positional(args, named, "now", List.of("utc", "fmt"));
        if (positional.size() > 2) throw fail("now() takes from 0 to 2 positional arguments but " + positional.size() + " were given");
        Object utc = positional.size() > 0 ? positional.get(0) : named.getOrDefault("utc", false);
        Object fmt = positional.size() > 1 ? positional.get(1) : named.get("fmt");
        LocalDateTime t = Templar.truthy(utc) ? LocalDateTime.now(clock.withZone(ZoneOffset.UTC)) : LocalDateTime.now(clock);
        if (fmt != null && Templar.truthy(fmt)) return PyDate.formatNaive(t, PyRepr.str(fmt));
        return t;
    }

    private static List<Object> positional(Object[] args, Map<String, Object> named, String function, List<String> names) {
        List<Object> positional = new ArrayList<>();
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof NamedParameter p) {
                if (!names.contains(p.getName())) throw fail(function + "() got an unexpected keyword argument '" + p.getName() + "'");
                named.put(p.getName(), Undefined.require(p.getValue()));
            } else {
                positional.add(Undefined.require(a));
            }
        }
        return positional;
    }

    private static TemplateException fail(String message) {
        return Frame.fail(new TemplateException(message));
    }
}
