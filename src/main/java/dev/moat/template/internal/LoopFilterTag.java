package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ElseTag;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.util.ObjectIterator;

/**
 * Jinjava's {@code for} tag with Jinja's loop filter and {@code else}: {@code {% for x in ports if x > 100 %}}
 * skips the items whose condition is false before the loop starts, so {@code loop.index} and
 * {@code loop.length} count only the kept items, as in Jinja; {@code {% else %}} is rendered once
 * when nothing was iterated (Jinjava rendered it after every item). Without either it is Jinjava's tag.
 */
public final class LoopFilterTag extends ForTag {
    private static final long serialVersionUID = 1L;

    /** A for tag's helpers: the loop variables, the iterated expression and the filter (or null). */
    public record Parts(List<String> targets, String iterable, String condition) {}

    @Override
    public String interpretUnchecked(TagNode tagNode, JinjavaInterpreter interpreter) {
        Parts parts = parts(tagNode.getHelpers());
        int otherwise = elseAt(tagNode);
        if (parts == null || (parts.condition() == null && otherwise < 0)) return super.interpretUnchecked(tagNode, interpreter);
        Object collection = interpreter.resolveELExpression(parts.iterable(), tagNode.getLineNumber());
        ForLoop items = ObjectIterator.getLoop(collection);
        List<Object> kept = new ArrayList<>();
        try (JinjavaInterpreter.InterpreterScopeClosable scope = interpreter.enterScope()) {
            while (items.hasNext()) {
                Object item = items.next();
                if (parts.condition() != null) {
                    bind(interpreter, parts.targets(), item);
                    if (!PyOperators.truth(interpreter.resolveELExpression(parts.condition(), tagNode.getLineNumber()))) continue;
                }
                kept.add(item);
            }
        }
        List<Node> children = tagNode.getChildren();
        if (otherwise < 0) return renderForCollection(tagNode, interpreter, parts.targets(), kept);
        if (kept.isEmpty()) {
            StringBuilder out = new StringBuilder();
            for (Node n : children.subList(otherwise + 1, children.size())) out.append(n.render(interpreter).getValue());
            return out.toString();
        }
        TagNode body = new TagNode(this, (TagToken) tagNode.getMaster(), tagNode.getSymbols());
        body.setParent(tagNode.getParent());
        body.setChildren(new LinkedList<>(children.subList(0, otherwise)));
        return renderForCollection(body, interpreter, parts.targets(), kept);
    }

    /** The index of the loop's own {@code {% else %}} among its children, or -1: Jinja renders what follows it when nothing was iterated. */
    private static int elseAt(TagNode tagNode) {
        List<Node> children = tagNode.getChildren();
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof TagNode t && t.getTag() instanceof ElseTag) return i;
        }
        return -1;
    }

    private static void bind(JinjavaInterpreter interpreter, List<String> targets, Object item) {
        if (targets.size() == 1) {
            interpreter.getContext().put(targets.get(0), item);
            return;
        }
        List<Object> values = new ArrayList<>();
        if (item instanceof Map.Entry<?, ?> e) {
            values.add(e.getKey());
            values.add(e.getValue());
        } else if (item instanceof Iterable<?> it && !(item instanceof CharSequence)) {
            it.forEach(values::add);
        }
        if (values.size() != targets.size()) {
            throw Frame.fail(new dev.moat.template.TemplateException("cannot unpack " + PyRepr.repr(item) + " into "
                    + targets.size() + " loop variables"));
        }
        for (int i = 0; i < targets.size(); i++) interpreter.getContext().put(targets.get(i), values.get(i));
    }

    /**
     * Splits {@code x, y in EXPR if COND} at its top-level {@code in} and {@code if} (outside strings
     * and brackets); Jinja reads an {@code if} after the iterable as the loop filter. Null if there is no {@code in}.
     */
    public static Parts parts(String helpers) {
        int in = keyword(helpers, "in", 0);
        if (in < 0) return null;
        List<String> targets = new ArrayList<>();
        for (String t : helpers.substring(0, in).split(",")) if (!t.isBlank()) targets.add(t.strip());
        int cond = keyword(helpers, "if", in + 2);
        if (cond < 0) return new Parts(targets, helpers.substring(in + 2).strip(), null);
        return new Parts(targets, helpers.substring(in + 2, cond).strip(), helpers.substring(cond + 2).strip());
    }

    /** Where the word {@code word} first stands at top level in {@code s} from {@code from}, or -1. */
    private static int keyword(String s, String word, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                for (i++; i < s.length() && s.charAt(i) != c; i++) if (s.charAt(i) == '\\') i++;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && s.startsWith(word, i)
                    && (i == 0 || !isNamePart(s.charAt(i - 1)))
                    && (i + word.length() == s.length() || !isNamePart(s.charAt(i + word.length())))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.';
    }
}
