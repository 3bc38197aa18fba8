package dev.moat.template.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.moat.template.TemplateException;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.jackson.JacksonRuntime;

/**
 * {@code json_query} ({@code community.general.json_query}): a JMESPath search of the value, as
 * Ansible's filter runs Python's jmespath on it. The value crosses to JSON and back, so numbers stay
 * ints or floats and mappings keep their order.
 * <pre>
 * {{ users | json_query('[?uid > `1000`].name') }}   # ['alice']
 * </pre>
 */
final class JsonQuery {
    private JsonQuery() {}

    private static final JacksonRuntime JMESPATH = new JacksonRuntime();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Expression<JsonNode>> COMPILED = new ConcurrentHashMap<>();

    static NamedFilter filter() {
        return new NamedFilter("json_query", (v, a, k) -> {
            Object expr = AnsibleFilters.arg(a, k, 0, "expr", null);
            if (!(expr instanceof CharSequence)) throw AnsibleFilters.fail("json_query expects a JMESPath expression (a string), got " + PyRepr.repr(expr));
            return search(Plain.of(Undefined.require(v)), expr.toString());
        });
    }

    static Object search(Object data, String expression) {
        Expression<JsonNode> compiled;
        try {
            compiled = COMPILED.computeIfAbsent(expression, e -> JMESPATH.compile(elidedQuotes(e)));
        } catch (JmesPathException e) {
            throw Frame.fail(new TemplateException("JMESPathError in json_query: " + oneLine(e.getMessage()) + " in '" + expression + "'"));
        }
        try {
            JsonNode result = compiled.search(JSON.valueToTree(data));
            return Plain.of(JSON.treeToValue(result, Object.class));
        } catch (JmesPathException | IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw Frame.fail(new TemplateException("JMESPathError in json_query: " + oneLine(e.getMessage()) + " in '" + expression + "'"));
        }
    }

    /**
     * Python's jmespath still reads a literal that is not JSON as a string ({@code `wheel`} for
     * {@code `"wheel"`}, the form Ansible's documentation shows); the Java engine follows the
     * newer grammar, so such literals are quoted first, as Python's lexer quotes them.
     */
    static String elidedQuotes(String expression) {
        StringBuilder out = new StringBuilder(expression.length() + 8);
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            int end = c == '\'' || c == '"' || c == '`' ? closing(expression, i) : -1;
            if (end < 0) {
                out.append(c);
                i++;
                continue;
            }
            if (c != '`') {
                out.append(expression, i, end + 1);
            } else {
                String lexeme = expression.substring(i + 1, end).replace("\\`", "`");
                String quoted = "\"" + lexeme.stripLeading() + "\"";
                String literal = !isJson(lexeme) && isJson(quoted) ? quoted : lexeme;
                out.append('`').append(literal.replace("`", "\\`")).append('`');
            }
            i = end + 1;
        }
        return out.toString();
    }

    /** The index of the quote closing the one at {@code start} (a backslash escapes), or -1. */
    private static int closing(String s, int start) {
        char q = s.charAt(start);
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == q) return i;
        }
        return -1;
    }

    private static boolean isJson(String text) {
        try {
            JSON.readTree(text);
            return !text.isBlank();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "invalid expression" : s.replaceAll("\\s+", " ").trim();
    }
}
