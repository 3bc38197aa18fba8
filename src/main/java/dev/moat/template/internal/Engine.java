package dev.moat.template.internal;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import java.util.HashMap;
import java.util.Properties;
import java.util.Map;

import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeBuilder;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * The one Jinjava instance of the process, configured for Ansible's semantics. Building it costs
 * about half a second (class loading, library registration), so it is built once, on first use or
 * on a warm-up thread, and shared: Jinjava renders concurrently.
 */
public final class Engine {
    private Engine() {}

    private static final class Holder {
        static final Jinjava JINJAVA = build();
    }

    public static Jinjava get() {
        return Holder.JINJAVA;
    }

    /** Jinjava's expression factory with Python's operators ({@link PySyntax}); same features as Jinjava's own, Python's truth. */
    private static final ExpressionFactory PY_EXPRESSIONS = pyExpressions();

    private static ExpressionFactory pyExpressions() {
        Properties p = new Properties();
        p.setProperty(TreeBuilder.class.getName(), PySyntax.class.getName());
        return new ExpressionFactoryImpl(p, new PyTruth.Converter());
    }

    private static Jinjava build() {
        dev.moat.StartupTrace.mark("building Jinjava");
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new StrictResolver());
        resolver.add(new PyMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withElResolver(resolver)
                .withFailOnUnknownTokens(false)
                .withNestedInterpretationEnabled(false)
                .withTrimBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUsePyishObjectMapper(true)
                        .withKeepNullableLoopValues(true)
                        .withIterateOverMapKeys(true)
                        .build())
                .build();
        Jinjava j = new Jinjava(config) {
            @Override
            public ExpressionFactory getExpressionFactory() {
                return PY_EXPRESSIONS;
            }
        };
        Context global = j.getGlobalContext();
        for (NamedFilter f : AnsibleFilters.all()) global.registerFilter(f);
        for (NamedFilter f : ListFilters.all()) global.registerFilter(f);
        for (NamedFilter f : TextFilters.all()) global.registerFilter(f);
        for (NamedFilter f : IpAddr.filters()) global.registerFilter(f);
        for (Filter f : new java.util.ArrayList<>(global.getAllFilters())) {
            String n = f.getName();
            if (!n.equals("default") && !n.equals("d") && !n.equals("mandatory")) global.registerFilter(new StrictFilter(f));
        }
        for (ExpTest t : AnsibleTests.all()) global.registerExpTest(t);
        global.registerTag(new LoopFilterTag());
        global.registerTag(new PyTruth.If());
        global.registerTag(new FilterBlockTag());
        // community.general.dict and ansible.utils' tests have no short name in Ansible 2.14 either
        Map<String, Filter> onlyFilters = new HashMap<>();
        onlyFilters.put("dict", new StrictFilter(ListFilters.dict()));
        Map<String, ExpTest> onlyTests = new HashMap<>();
        for (ExpTest t : IpAddr.tests()) onlyTests.put(t.getName(), t);
        global.registerExpTest(new Defined("defined", true));
        global.registerExpTest(new Defined("undefined", false));
        Fqcn.register(global, onlyFilters, onlyTests);
        try {
            global.registerFunction(new ELFunctionDefinition("", "lookup",
                    Lookups.class.getMethod("lookup", String.class, Object[].class)));
            global.registerFunction(new ELFunctionDefinition("", "query",
                    Lookups.class.getMethod("query", String.class, Object[].class)));
            global.registerFunction(new ELFunctionDefinition("", "q",
                    Lookups.class.getMethod("query", String.class, Object[].class)));
            global.registerFunction(new ELFunctionDefinition("", "dict", Globals.class.getMethod("dict", Object[].class)));
            global.registerFunction(new ELFunctionDefinition("", "lipsum", Globals.class.getMethod("lipsum", Object[].class)));
            global.registerFunction(new ELFunctionDefinition("", "cycler", Callables.class.getMethod("cycler", Object[].class)));
            global.registerFunction(new ELFunctionDefinition("", "joiner", Callables.class.getMethod("joiner", Object[].class)));
            global.registerFunction(new ELFunctionDefinition("", "now", Callables.class.getMethod("now", Object[].class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        dev.moat.StartupTrace.mark("Jinjava built");
        return j;
    }

    /** {@code is defined} / {@code is undefined}: a variable set to none is defined, as in Ansible. */
    public static final class Defined implements ExpTest {
        private final String name;
        private final boolean defined;

        Defined(String name, boolean defined) {
            this.name = name;
            this.defined = defined;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return (var instanceof Undefined) != defined;
        }
    }
}
