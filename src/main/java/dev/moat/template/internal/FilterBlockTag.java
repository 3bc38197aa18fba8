package dev.moat.template.internal;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;

/**
 * Jinja's filter block, which Jinjava lacks: {@code {% filter upper %}shout{% endfilter %}} renders
 * its body, then applies the filters named in the tag ({@code replace('a', 'b') | trim} too).
 */
public final class FilterBlockTag implements Tag {
    private static final long serialVersionUID = 1L;

    /** The variable holding the rendered body while the filters run; names starting "____" are moat's own. */
    public static final String BODY = "____moat_filter_body";

    @Override
    public String getName() {
        return "filter";
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        StringBuilder body = new StringBuilder();
        for (Node child : tagNode.getChildren()) body.append(child.render(interpreter).getValue());
        try (JinjavaInterpreter.InterpreterScopeClosable scope = interpreter.enterScope()) {
            interpreter.getContext().put(BODY, body.toString());
            return PyOutput.text(interpreter.resolveELExpression(expression(tagNode.getHelpers()), tagNode.getLineNumber()));
        }
    }

    /** The expression a filter tag's helpers ({@code upper}) stand for. */
    public static String expression(String helpers) {
        return BODY + " | " + helpers.strip();
    }
}
