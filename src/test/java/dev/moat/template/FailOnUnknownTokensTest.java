package dev.moat.template;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;

/**
 * Why the Templar does not rely on Jinjava's {@code failOnUnknownTokens}: it only fails when a whole
 * {@code {{ }}} evaluates to null, so it misses undefined variables inside larger expressions,
 * rejects variables that are defined as null, and names the expression, not the variable. If a
 * Jinjava upgrade changes this, these assertions say so.
 */
class FailOnUnknownTokensTest {
    private static final Jinjava STRICT = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());

    private static RenderResult render(String t) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("nothing", null);
        return STRICT.renderForResult(t, vars);
    }

    @Test
    void catchesABareUndefinedButNamesTheExpression() {
        RenderResult r = render("{{ foo|upper }}");
        assertTrue(r.hasErrors());
        assertTrue(r.getErrors().get(0).getMessage().contains("foo|upper"));
    }

    @Test
    void missesUndefinedInsideLargerExpressions() {
        assertEquals("x", render("{{ foo ~ 'x' }}").getOutput());
        assertFalse(render("{{ foo ~ 'x' }}").hasErrors());
        assertEquals("0", render("{{ foo | length }}").getOutput());
    }

    @Test
    void rejectsAVariableDefinedAsNull() {
        assertTrue(render("{{ nothing }}").hasErrors());
    }

    @Test
    void ourTemplarGetsAllThreeRight() {
        Templar t = new Templar(null, new Secrets());
        Map<String, Object> vars = new HashMap<>();
        vars.put("nothing", null);
        assertEquals("undefined variable 'foo'", assertThrows(TemplateException.class, () -> t.render("{{ foo ~ 'x' }}", Vars.of(vars))).getMessage());
        assertEquals("undefined variable 'foo'", assertThrows(TemplateException.class, () -> t.render("{{ foo | length }}", Vars.of(vars))).getMessage());
        assertNull(t.render("{{ nothing }}", Vars.of(vars)));
    }
}
