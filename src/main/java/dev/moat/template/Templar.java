package dev.moat.template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import jinjava.de.odysseus.el.tree.FunctionNode;
import jinjava.de.odysseus.el.tree.IdentifierNode;
import jinjava.de.odysseus.el.tree.Tree;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.javax.el.ELException;

import dev.moat.module.Args;
import dev.moat.template.internal.Engine;
import dev.moat.template.internal.FilterBlockTag;
import dev.moat.template.internal.Frame;
import dev.moat.template.internal.Globals;
import dev.moat.template.internal.JinjaSource;
import dev.moat.template.internal.LoopFilterTag;
import dev.moat.template.internal.Plain;
import dev.moat.template.internal.PyOutput;
import dev.moat.template.internal.PySyntax;
import dev.moat.template.internal.StrictContext;
import dev.moat.template.internal.Undefined;

/**
 * Renders Ansible-style Jinja2 with Jinjava, with Ansible's semantics where Jinjava differs:
 * <ul>
 *   <li>native types: a string that is exactly one {@code {{ expr }}} yields the expression's value
 *       (a list, a mapping, an int, a bool); anything else yields a string;</li>
 *   <li>strict undefined: an undefined variable, a missing key or an index out of range fails the
 *       render naming it ({@link TemplateException}), never an empty string; {@code default()},
 *       {@code is defined} and {@code mandatory} handle it as in Ansible;</li>
 *   <li>Ansible's filters and lookups ({@code lookup('env'|'file')}, {@code combine}, {@code to_json},
 *       {@code quote}, {@code regex_replace} with Python syntax, ...); every value a lookup returns is
 *       recorded in {@link #secrets()} so that output can be masked;</li>
 *   <li>taint: what is made of a secret is a secret. A filter given a secret returns secrets
 *       ({@code pw | b64encode}, {@code pw | upper}, {@code pw | quote}), and a string rendered
 *       while reading a secret (a lookup, or a variable holding one) is recorded whole, unless it is
 *       a string copied out of what was read; this covers slices and concatenation
 *       ({@code "{{ pw[0:6] }}"}).</li>
 * </ul>
 * Construction is free; Jinjava itself (about half a second to build) is built once per process,
 * on first use or by {@link #warmUp()}; a string without Jinja markup never touches it.
 * Thread-safe.
 *
 * <pre>
 * Templar t = new Templar(playbookDir, secrets);
 * t.render("{{ ports }}", vars);           // [8000, 11434] (a List)
 * t.render("port {{ ports[0] }}", vars);   // "port 8000"
 * t.test("ports | length > 1", vars);      // true (a when: expression)
 * </pre>
 */
public final class Templar {
    /**
     * The value of Ansible's {@code omit}: a module argument that renders to it is left out, as if
     * not written ({@code mode: "{{ file_mode | default(omit) }}"}); see {@link #withoutOmitted}.
     */
    public static final String OMIT = "__omit_place_holder__moat";

    private final Path baseDir;
    private final Secrets secrets;

    /**
     * @param baseDir where {@code lookup('file', relative)} reads from: the playbook's directory
     * @param secrets where looked-up values are recorded
     */
    public Templar(Path baseDir, Secrets secrets) {
        this.baseDir = baseDir;
        this.secrets = secrets == null ? new Secrets() : secrets;
    }

    public Secrets secrets() {
        return secrets;
    }

    public Path baseDir() {
        return baseDir;
    }

    /**
     * Builds Jinjava on a background daemon thread and exercises it once, so that the first real
     * render does not pay for it. Call at startup, while connecting to hosts. Idempotent.
     */
    public static void warmUp() {
        Thread t = new Thread(() -> {
            try {
                new Templar(null, new Secrets()).render("{{ [1, 2] | map('string') | join(',') | to_json }}", Vars.empty());
                checkTemplate("{% if a is defined %}{{ b | default(1) }}{% endif %}");
                checkExpression("a | bool and b is not defined");
            } catch (RuntimeException ignored) {
                // the real render will report whatever this hit
            }
        }, "moat-jinjava-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Whether {@code s} holds Jinja markup ({{ }}, {% %} or {# #}). */
    public static boolean isTemplate(String s) {
        return s != null && (s.contains("{{") || s.contains("{%") || s.contains("{#"));
    }

    /**
     * Whether {@code value} (a string, list or mapping) needs a rendering pass: a string inside it is
     * a template, or an {@code !unsafe} text inside it must be unwrapped, verbatim, by {@link #render}.
     */
    public static boolean containsTemplate(Object value) {
        if (value instanceof String s) return isTemplate(s);
        if (value instanceof dev.moat.yaml.Unsafe) return true;
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (containsTemplate(e.getKey()) || containsTemplate(e.getValue())) return true;
            }
            return false;
        }
        if (value instanceof Iterable<?> l) {
            for (Object o : l) if (containsTemplate(o)) return true;
        }
        return false;
    }

    /** Renders every string inside {@code value} (strings, lists and mappings, recursively), with native types. */
    public Object render(Object value, Vars vars) {
        if (value instanceof String s) return isTemplate(s) ? run(s, vars, Mode.NATIVE) : s;
        if (value instanceof dev.moat.yaml.Unsafe u) return u.text();
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(render(e.getKey(), vars)), render(e.getValue(), vars));
            }
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(render(o, vars));
            return out;
        }
        return value;
    }

    /** {@code value} without the mapping entries and list items that rendered to {@link #OMIT}, recursively, as Ansible's remove_omit. */
    public static Object withoutOmitted(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (!OMIT.equals(v)) out.put(String.valueOf(k), withoutOmitted(v));
            });
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) if (!OMIT.equals(o)) out.add(withoutOmitted(o));
            return out;
        }
        return value;
    }

    /** Renders {@code template}, a string of a playbook or inventory, to a string (task names, messages). */
    public String renderString(String template, Vars vars) {
        if (!isTemplate(template)) return template;
        return (String) run(template, vars, Mode.STRING);
    }

    /**
     * Renders the text of a template file ({@code template:} module, {@code lookup('template')}).
     * Unlike a playbook string, whose backslashes inside {@code {{ }}} Ansible keeps literal, a file
     * is read as Jinja writes it: {@code '\n'} in a string literal is a newline.
     */
    public String renderFile(String template, Vars vars) {
        if (!isTemplate(template)) return template;
        return (String) run(template, vars, Mode.FILE);
    }

    /** Evaluates a bare Jinja expression, without braces ({@code ports | length}), to its value. */
    public Object eval(String expression, Vars vars) {
        if (expression == null || expression.isBlank()) throw new TemplateException("empty expression");
        return run(expression, vars, Mode.EXPRESSION);
    }

    /**
     * Evaluates a condition ({@code when}, {@code changed_when}, {@code failed_when}) to Ansible's truth.
     * A bare expression is evaluated; a braced one ({@code "{{ x }}"}, an old style) is rendered and
     * a resulting string read as a boolean ("False" is false).
     */
    public boolean test(String expression, Vars vars) {
        String e = expression == null ? "" : expression.strip();
        if (isTemplate(e)) return truth(render(e, vars));
        return truthy(eval(e, vars));
    }

    /**
     * A rendered value as Ansible reads it in a condition: a string is read as a boolean
     * ({@code "false"}, {@code "no"}, {@code "0"} are false), else Jinja's truth. For variables read
     * outside a play, such as {@code tls} by {@code moat scan}.
     */
    public static boolean truth(Object v) {
        if (v instanceof String s) {
            Boolean b = Args.toBool(s);
            return b != null ? b : !s.isEmpty();
        }
        return truthy(v);
    }

    /** Jinja's truth: none, false, 0, and empty strings, lists and mappings are false. */
    public static boolean truthy(Object v) {
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) return n.doubleValue() != 0;
        if (v instanceof CharSequence s) return s.length() > 0;
        if (v instanceof java.util.Collection<?> c) return !c.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        return true;
    }

    /**
     * Checks the Jinja syntax of {@code template} without rendering it, and that every filter, test
     * and function it names exists. Used at load time; variables are not looked at.
     */
    public static void checkTemplate(String template) {
        if (!isTemplate(template)) return;
        Jinjava j = Engine.get();
        JinjavaInterpreter in = new JinjavaInterpreter(j, new Context(j.getGlobalContext()), j.getGlobalConfig());
        JinjavaInterpreter.pushCurrent(in);
        try {
            Node root = in.parse(JinjaSource.template(template, true));
            for (TemplateError e : in.getErrors()) {
                if (e.getSeverity() == TemplateError.ErrorType.FATAL || e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
                    throw new TemplateException("Jinja syntax error: " + clean(e.getMessage())
                            + (e.getFieldName() != null && !e.getMessage().contains(e.getFieldName()) ? " ('" + e.getFieldName() + "')" : ""));
                }
            }
            checkNodes(root);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /** Checks a bare expression ({@code when:}) as {@link #checkTemplate} does. */
    public static void checkExpression(String expression) {
        if (expression == null || expression.isBlank()) throw new TemplateException("empty expression");
        if (isTemplate(expression)) {
            checkTemplate(expression);
            return;
        }
        checkParsed(JinjaSource.expression(expression), expression, Set.of());
    }

    /**
     * Checks {@code parsed}, an expression already rewritten by {@link JinjaSource}; errors name
     * {@code expression}. A call of a name in {@code bound} (a macro the template defines, or a variable it
     * sets, such as a {@code joiner}) is left to rendering, which calls what the name holds.
     */
    private static void checkParsed(String parsed, String expression, Set<String> bound) {
        Tree tree;
        try {
            tree = syntax().build("#{" + parsed + "}");
        } catch (ELException e) {
            throw new TemplateException("Jinja syntax error in '" + expression + "': " + clean(e.getMessage()));
        }
        Context global = Engine.get().getGlobalContext();
        for (IdentifierNode id : tree.getIdentifierNodes()) {
            String n = id.getName();
            if (n.startsWith("filter:") && global.getFilter(n.substring(7)) == null) {
                throw new TemplateException("no filter named '" + JinjaSource.displayName(n.substring(7)) + "' in '" + expression + "'");
            }
            if (n.startsWith("exptest:") && global.getExpTest(n.substring(8)) == null) {
                throw new TemplateException("no test named '" + JinjaSource.displayName(n.substring(8)) + "' in '" + expression + "'");
            }
        }
        for (FunctionNode fn : tree.getFunctionNodes()) {
            String n = fn.getName();
            String local = n.startsWith(":") ? n.substring(1) : n;
            // Functions registered without a namespace are keyed ":name"; the parser reports "name".
            if (global.getFunction(n) == null && global.getFunction(local) == null && global.getFunction(":" + local) == null
                    && !bound.contains(local)) {
                throw new TemplateException("no function named '" + local + "' in '" + expression + "'");
            }
        }
    }

    /** The variables {@code template} (or a bare expression) reads, at top level: {@code x.y | f(z)} reads x and z. */
    public static Set<String> variables(String template, boolean bareExpression) {
        Map<String, Set<String>> memo = bareExpression ? EXPRESSION_VARIABLES : TEMPLATE_VARIABLES;
        Set<String> known = memo.get(template);
        if (known != null) return known;
        Set<String> found = java.util.Collections.unmodifiableSet(parseVariables(template, bareExpression));
        if (memo.size() < MEMO_LIMIT) memo.put(template, found);
        return found;
    }

    /**
     * What is known of a template's text alone, whatever the variables: a playbook's strings are rendered
     * for every host, and parsing them again for each was a good part of the controller's CPU per host.
     * Each memo stops growing at {@link #MEMO_LIMIT} texts (a run's playbook has far fewer; a lookup's
     * result rendered as a template may make more), then its misses are worked out each time, as before.
     */
    private static final int MEMO_LIMIT = 20_000;
    private static final Map<String, Set<String>> TEMPLATE_VARIABLES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, Set<String>> EXPRESSION_VARIABLES = new java.util.concurrent.ConcurrentHashMap<>();

    private static Set<String> parseVariables(String template, boolean bareExpression) {
        Set<String> out = new LinkedHashSet<>();
        List<String> exprs = new ArrayList<>();
        if (bareExpression) {
            try {
                exprs.add(JinjaSource.expression(template));
            } catch (TemplateException ignored) {
                // syntax errors are reported by checkExpression
            }
        }
        else if (isTemplate(template)) {
            Jinjava j = Engine.get();
            JinjavaInterpreter in = new JinjavaInterpreter(j, new Context(j.getGlobalContext()), j.getGlobalConfig());
            JinjavaInterpreter.pushCurrent(in);
            try {
                collectExpressions(in.parse(JinjaSource.template(template, true)), exprs, new HashSet<>());
            } finally {
                JinjavaInterpreter.popCurrent();
            }
        }
        for (String e : exprs) {
            try {
                Tree tree = syntax().build("#{" + e + "}");
                for (IdentifierNode id : tree.getIdentifierNodes()) {
                    String n = id.getName();
                    if (!n.contains(":") && !n.startsWith("____")) out.add(n);
                }
            } catch (ELException ignored) {
                // syntax errors are reported by checkTemplate
            }
        }
        return out;
    }

    /** The expression syntax Jinjava renders with: method calls ({@code d.items()}) included. */
    private static PySyntax syntax() {
        return new PySyntax(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS);
    }

    private static void checkNodes(Node node) {
        List<String> exprs = new ArrayList<>();
        Set<String> bound = new HashSet<>();
        collectExpressions(node, exprs, bound);
        for (String e : exprs) checkParsed(e, JinjaSource.displayName(e), bound);
    }

    /** Adds the expressions under {@code node} to {@code out}, and to {@code bound} the names its {@code set} and {@code macro} tags define. */
    private static void collectExpressions(Node node, List<String> out, Set<String> bound) {
        if (node instanceof ExpressionNode en) {
            out.add(((ExpressionToken) en.getMaster()).getExpr());
        } else if (node instanceof TagNode tn) {
            String h = tn.getHelpers() == null ? "" : tn.getHelpers().strip();
            switch (tn.getName()) {
                case "if":
                case "elif":
                    if (!h.isEmpty()) out.add(h);
                    break;
                case "for": {
                    LoopFilterTag.Parts parts = LoopFilterTag.parts(h);
                    if (parts != null) {
                        out.add(parts.iterable());
                        if (parts.condition() != null) out.add(parts.condition());
                    }
                    break;
                }
                case "filter":
                    if (!h.isEmpty()) out.add(FilterBlockTag.expression(h));
                    break;
                case "macro": {
                    int i = h.indexOf('(');
                    if (i > 0) bound.add(h.substring(0, i).strip());
                    break;
                }
                case "set": {
                    int i = h.indexOf('=');
                    if (i > 0 && i + 1 < h.length() && h.charAt(i + 1) != '=') {
                        out.add(h.substring(i + 1));
                        bound.add(h.substring(0, i).strip());
                    }
                    break;
                }
                default:
                    break;
            }
        }
        for (Node child : node.getChildren()) collectExpressions(child, out, bound);
    }

    private enum Mode { NATIVE, STRING, FILE, EXPRESSION }

    private Object run(String template, Vars vars, Mode mode) {
        Jinjava j = Engine.get();
        Context ctx = new StrictContext(j.getGlobalContext());
        ctx.setDynamicVariableResolver(name -> variable(vars, name));
        ctx.setExpressionStrategy(new PyOutput());
        JinjavaInterpreter in = new JinjavaInterpreter(j, ctx, j.getGlobalConfig());
        Frame frame = Frame.push(baseDir, secrets, vars);
        JinjavaInterpreter.pushCurrent(in);
        try {
            Object result;
            Single single = mode == Mode.NATIVE ? SINGLE.get(template) : null;
            if (mode == Mode.EXPRESSION) {
                result = in.resolveELExpression(rewritten(template, mode), 1);
            } else if (single != null) {
                result = in.resolveELExpression(single.expression(), single.line());
            } else {
                Node root = in.parse(rewritten(template, mode));
                check(in, frame, template);
                List<Node> children = root.getChildren();
                if (mode == Mode.NATIVE && children.size() == 1 && children.get(0) instanceof ExpressionNode en) {
                    String expression = ((ExpressionToken) en.getMaster()).getExpr();
                    if (in.getErrors().isEmpty() && SINGLE.size() < MEMO_LIMIT) SINGLE.put(template, new Single(expression, en.getLineNumber()));
                    result = in.resolveELExpression(expression, en.getLineNumber());
                } else {
                    result = in.render(root);
                }
            }
            check(in, frame, template);
            Object out = switch (mode) {
                case STRING, FILE -> result instanceof String str ? str : PyOutput.text(result);
                case NATIVE -> PyOutput.nativeValue(result);
                case EXPRESSION -> Plain.of(result);
            };
            // A text made while reading a secret is a secret as a whole: "x{{ pw[0:6] }}" is masked
            // even where no filter saw the secret (a slice, a method call, a condition on it);
            // a text merely copied out of what was read (a key beside the secret) is not.
            if (frame.tainted() && out instanceof String s) secrets.addDerived(s, frame.read());
            return out;
        } catch (RuntimeException e) {
            // Jinjava wraps what a filter, lookup or undefined value threw; the frame knows the cause.
            if (frame.failure() != null) throw frame.failure();
            if (e instanceof TemplateException te) throw te;
            throw new TemplateException("template error in '" + template + "': " + clean(e.getMessage()));
        } finally {
            JinjavaInterpreter.popCurrent();
            frame.pop();
        }
    }

    /** A template that is one {@code {{ expression }}} and nothing else, as parsed without error: its expression and line. */
    private record Single(String expression, int line) {}

    /** Templates rendered with native types that are one expression: the expression, so the template is parsed once per process. */
    private static final Map<String, Single> SINGLE = new java.util.concurrent.ConcurrentHashMap<>();
    /** {@link JinjaSource}'s rewrite of each text, by how it is read: a playbook string, a template file, a bare expression. */
    private static final Map<String, String> REWRITTEN_STRING = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, String> REWRITTEN_FILE = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, String> REWRITTEN_EXPRESSION = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code template} rewritten by {@link JinjaSource} for {@code mode}, from the memo when it was rewritten before (a syntax error is not kept). */
    private static String rewritten(String template, Mode mode) {
        Map<String, String> memo = switch (mode) {
            case EXPRESSION -> REWRITTEN_EXPRESSION;
            case FILE -> REWRITTEN_FILE;
            case NATIVE, STRING -> REWRITTEN_STRING;
        };
        String known = memo.get(template);
        if (known != null) return known;
        String r = mode == Mode.EXPRESSION ? JinjaSource.expression(template) : JinjaSource.template(template, mode != Mode.FILE);
        if (memo.size() < MEMO_LIMIT) memo.put(template, r);
        return r;
    }

    private static Object variable(Vars vars, String name) {
        if (vars.has(name)) {
            Object v;
            try {
                v = vars.get(name);
            } catch (TemplateException e) {
                throw Frame.fail(e);
            }
            Frame f = Frame.peek();
            if (f != null && f.secrets().holds(v)) f.taint(v);
            return v;
        }
        switch (name) {
            case "omit": return OMIT;
            case "True": return Boolean.TRUE;
            case "False": return Boolean.FALSE;
            case "None":
            case "none":
                return null;
            default: {
                Globals.Function global = Globals.named(name);
                return global != null ? global : Undefined.variable(name);
            }
        }
    }

    private static void check(JinjavaInterpreter in, Frame frame, String template) {
        if (frame.failure() != null) throw frame.failure();
        for (TemplateError e : in.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL || e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
                throw new TemplateException("template error in '" + template + "': " + clean(e.getMessage()));
            }
        }
    }

    private static String clean(String m) {
        if (m == null) return "unknown error";
        return m.replace("#{", "").replaceAll("\\s+", " ").trim();
    }
}
