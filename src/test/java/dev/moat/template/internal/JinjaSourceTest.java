package dev.moat.template.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.moat.template.TemplateException;

class JinjaSourceTest {
    private static String t(String s) {
        return JinjaSource.template(s, true);
    }

    @Test
    void indexesAfterADotBecomeSubscripts() {
        assertEquals("{{ item[0] }}", t("{{ item.0 }}"));
        assertEquals("{{ pairs[1][0] }}", t("{{ pairs.1.0 }}"));
        assertEquals("{{ 1.5 + x[2] }}", t("{{ 1.5 + x.2 }}"));
    }

    @Test
    void collectionNamesBecomeOneName() {
        assertEquals("{{ x | ansible__builtin__to_json }}", t("{{ x | ansible.builtin.to_json }}"));
        assertEquals("{{ v is not ansible__builtin__version('2', '>') }}", t("{{ v is not ansible.builtin.version('2', '>') }}"));
        assertEquals("{{ a.b.c }}", t("{{ a.b.c }}"));
    }

    @Test
    void aFilteredValueIsParenthesizedBeforeATest() {
        assertEquals("{{ (x | string) is string }}", t("{{ x | string is string }}"));
        assertEquals("{{ a and (x | length) is odd }}", t("{{ a and x | length is odd }}"));
        assertEquals("{{ x is defined }}", t("{{ x is defined }}"));
        assertEquals("{{ f(a | b) is t }}", t("{{ f(a | b) is t }}"), "the filter is inside the call");
    }

    @Test
    void percentFormattingAndSteppedSlices() {
        assertEquals("{{ '%s:%d' |moat_percent( (a, b) )}}", t("{{ '%s:%d' % (a, b) }}"));
        assertEquals("{{ x % 7 }}", t("{{ x % 7 }}"));
        assertEquals("{{ name|moat_slice(none, none, -1) }}", t("{{ name[::-1] }}"));
        assertEquals("{{ name[1:2] }}", t("{{ name[1:2] }}"));
    }

    @Test
    void backslashesAreLiteralInsidePlaybookExpressionsAndPythonEscapesElsewhere() {
        assertEquals("{{ '\\\\\\\\d' }}", t("{{ '\\\\d' }}"), "Ansible keeps both backslashes inside {{ }}");
        assertEquals("{{ '\\\\d' }}", JinjaSource.template("{{ '\\\\d' }}", false), "a template file reads \\\\ as one");
        assertEquals("{% if x == '\t' %}", t("{% if x == '\\t' %}"), "blocks read Python escapes");
        assertEquals("'\\\\d+'", JinjaSource.expression("'\\d+'"), "an unknown escape stays as written");
        assertEquals("'A\u00e9'", JinjaSource.expression("'\\x41\\u00e9'"));
        assertThrows(TemplateException.class, () -> t("{{ 'it\\'s' }}"), "Ansible cannot read an escaped quote inside {{ }}");
    }

    @Test
    void rawBlocksCommentsAndNestedBracesAreKept() {
        assertEquals("{% raw %}{{ x.0 }}{% endraw %}", t("{% raw %}{{ x.0 }}{% endraw %}"));
        assertEquals("{# x.0 #}{{ x[0] }}", t("{# x.0 #}{{ x.0 }}"));
        assertEquals("{{ {'a': {'b': x[0]} } }}", t("{{ {'a': {'b': x.0}} }}"), "Jinjava would end the tag at the first }}");
        assertEquals("{{x if x is defined else {} }}", t("{{x if x is defined else {}}}"));
    }
}
