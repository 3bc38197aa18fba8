package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.List;

import dev.moat.template.TemplateException;

/**
 * Rewrites Ansible's Jinja into text Jinjava parses with the same meaning, before Jinjava sees it:
 * <ul>
 *   <li>string literals get Python's escapes ({@code '\t'}, {@code '\x41'}, {@code '\d'} kept as is);
 *       inside {@code {{ }}} of a playbook string a backslash is literal, as Ansible doubles
 *       backslashes there before Jinja reads them ({@code '\\d'} stays two backslashes);</li>
 *   <li>{@code item.0} becomes {@code item[0]};</li>
 *   <li>a collection's filter or test name ({@code ansible.builtin.to_json}) becomes one name
 *       ({@code ansible__builtin__to_json}), registered as such;</li>
 *   <li>{@code x | f is t} becomes {@code (x | f) is t}: Jinjava cannot test a filtered value;</li>
 *   <li>{@code 'fmt' % args} becomes {@code 'fmt' | moat_percent(args)}: Jinjava's {@code %} is numeric only;</li>
 *   <li>{@code x[a:b:c]} becomes {@code x | moat_slice(a, b, c)}: Jinjava has no slice step.</li>
 * </ul>
 * {@code {% raw %}} blocks and comments are left alone.
 */
public final class JinjaSource {
    private JinjaSource() {}

    /** Separates the parts of a collection's plugin name once rewritten. */
    public static final String FQCN_SEPARATOR = "__";

    /** Text as the user wrote it: {@code ansible__builtin__x} is {@code ansible.builtin.x}. */
    public static String displayName(String name) {
        return REWRITTEN.matcher(name).replaceAll("$1.$2.$3");
    }

    private static final java.util.regex.Pattern REWRITTEN =
            java.util.regex.Pattern.compile("\\b([a-z][a-z0-9]*)__([a-z][a-z0-9_]*?)__([A-Za-z_]\\w*)");

    /**
     * A whole template.
     *
     * @param literalBackslashes Ansible's rule for playbook strings: backslashes in string literals
     *     inside {@code {{ }}} are literal; false for template files, which Jinja reads as written
     */
    public static String template(String src, boolean literalBackslashes) {
        StringBuilder out = new StringBuilder(src.length() + 16);
        int i = 0;
        while (i < src.length()) {
            int open = nextOpen(src, i);
            if (open < 0) {
                out.append(src, i, src.length());
                break;
            }
            out.append(src, i, open);
            char kind = src.charAt(open + 1);
            if (kind == '#') {
                int end = src.indexOf("#}", open + 2);
                end = end < 0 ? src.length() : end + 2;
                out.append(src, open, end);
                i = end;
                continue;
            }
            int bodyStart = open + 2;
            int end = closing(src, bodyStart, kind == '{' ? "}}" : "%}");
            if (end < 0) { // unterminated: let Jinjava report it
                out.append(src, open, src.length());
                break;
            }
            String body = src.substring(bodyStart, end);
            if (kind == '%' && isRaw(body)) {
                int endRaw = endRaw(src, end + 2);
                out.append(src, open, endRaw);
                i = endRaw;
                continue;
            }
            out.append(src, open, bodyStart);
            String rewritten = rewrite(body, kind == '{' && literalBackslashes);
            out.append(rewritten);
            if (rewritten.endsWith("}")) out.append(' '); // Jinjava ends {{ x else {}}} at the first }}
            out.append(src, end, end + 2);
            i = end + 2;
        }
        return out.toString();
    }

    /** A bare expression ({@code when:}), which Ansible evaluates inside {@code {% if %}}: Python escapes. */
    public static String expression(String expr) {
        return rewrite(expr, false);
    }

    private static int nextOpen(String s, int from) {
        for (int i = from; i + 1 < s.length(); i++) {
            if (s.charAt(i) == '{') {
                char c = s.charAt(i + 1);
                if (c == '{' || c == '%' || c == '#') return i;
            }
        }
        return -1;
    }

    /** Where {@code close} ends the tag body starting at {@code from}, outside strings and nested braces. */
    private static int closing(String s, int from, String close) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(s, i) - 1;
            } else if (depth == 0 && s.startsWith(close, i)) {
                return i;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
                depth--;
            }
        }
        return -1;
    }

    private static boolean isRaw(String body) {
        return body.replace("-", "").replace("+", "").strip().equals("raw");
    }

    private static int endRaw(String s, int from) {
        int i = from;
        while (true) {
            int open = s.indexOf("{%", i);
            if (open < 0) return s.length();
            int end = s.indexOf("%}", open + 2);
            if (end < 0) return s.length();
            if (s.substring(open + 2, end).replace("-", "").replace("+", "").strip().equals("endraw")) return end + 2;
            i = end + 2;
        }
    }

    /** The index just past the string literal starting at {@code start}. */
    private static int stringEnd(String s, int start) {
        char q = s.charAt(start);
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == q) return i + 1;
        }
        return s.length();
    }

    // ---- expression tokens ----

    private enum Kind { SPACE, STRING, NUMBER, NAME, OP }

    private record Tok(Kind kind, String text) {
        boolean is(String s) {
            return (kind == Kind.OP || kind == Kind.NAME) && text.equals(s);
        }
    }

    private static List<Tok> tokens(String s) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int j = i + 1;
            Kind k;
            if (Character.isWhitespace(c)) {
                while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
                k = Kind.SPACE;
            } else if (c == '\'' || c == '"') {
                j = stringEnd(s, i);
                k = Kind.STRING;
            } else if (Character.isDigit(c)) {
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                boolean afterDot = !out.isEmpty() && out.get(out.size() - 1).is(".");
                if (!afterDot && j + 1 < s.length() && s.charAt(j) == '.' && Character.isDigit(s.charAt(j + 1))) {
                    j++;
                    while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
                }
                if (!afterDot && j < s.length() && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
                    int e = j + 1;
                    if (e < s.length() && (s.charAt(e) == '+' || s.charAt(e) == '-')) e++;
                    if (e < s.length() && Character.isDigit(s.charAt(e))) {
                        j = e;
                        while (j < s.length() && Character.isDigit(s.charAt(j))) j++;
                    }
                }
                k = Kind.NUMBER;
            } else if (Character.isLetter(c) || c == '_') {
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                k = Kind.NAME;
            } else {
                String two = i + 2 <= s.length() ? s.substring(i, i + 2) : "";
                if (List.of("**", "//", "==", "!=", "<=", ">=").contains(two)) j = i + 2;
                k = Kind.OP;
            }
            out.add(new Tok(k, s.substring(i, j)));
            i = j;
        }
        return out;
    }

    private static String rewrite(String body, boolean literalBackslashes) {
        List<Tok> in = tokens(body);
        List<Tok> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Tok t = in.get(i);
            if (t.kind() == Kind.STRING) {
                out.add(new Tok(Kind.STRING, jinjavaString(decode(t.text(), literalBackslashes))));
            } else if (t.kind() == Kind.NUMBER && previous(out) != null && previous(out).is(".")
                    && before(out, 1) != null && !isNumber(before(out, 1))) {
                removeLast(out); // the dot
                out.add(new Tok(Kind.OP, "["));
                out.add(t);
                out.add(new Tok(Kind.OP, "]"));
            } else if (t.kind() == Kind.NAME && isPluginPosition(out) && dotted(in, i) > i) {
                int end = dotted(in, i);
                StringBuilder name = new StringBuilder();
                for (int k = i; k < end; k++) {
                    name.append(in.get(k).is(".") ? FQCN_SEPARATOR : in.get(k).text());
                }
                out.add(new Tok(Kind.NAME, name.toString()));
                i = end - 1;
            } else if (t.is("[") && isValueEnd(previous(out)) && steppedSlice(in, i) > 0) {
                int end = steppedSlice(in, i);
                List<List<Tok>> parts = splitColons(in.subList(i + 1, end));
                out.add(new Tok(Kind.OP, "|"));
                out.add(new Tok(Kind.NAME, "moat_slice"));
                out.add(new Tok(Kind.OP, "("));
                for (int p = 0; p < 3; p++) {
                    String part = join(parts.get(p)).strip();
                    out.add(new Tok(Kind.SPACE, (p > 0 ? ", " : "") + (part.isEmpty() ? "none" : rewrite(part, literalBackslashes))));
                }
                out.add(new Tok(Kind.OP, ")"));
                i = end;
            } else if (t.is("is")) {
                parenthesizeFiltered(out);
                out.add(t);
            } else if (t.is("%") && previous(out) != null && previous(out).kind() == Kind.STRING) {
                int end = operandEnd(in, i + 1);
                out.add(new Tok(Kind.OP, "|"));
                out.add(new Tok(Kind.NAME, "moat_percent"));
                out.add(new Tok(Kind.OP, "("));
                out.add(new Tok(Kind.SPACE, rewrite(join(in.subList(i + 1, end)), literalBackslashes)));
                out.add(new Tok(Kind.OP, ")"));
                i = end - 1;
            } else {
                if (t.is("}") && !out.isEmpty() && out.get(out.size() - 1).is("}")) out.add(new Tok(Kind.SPACE, " "));
                out.add(t);
            }
        }
        return join(out);
    }

    private static final List<String> KEYWORDS = List.of("and", "or", "not", "in", "is", "if", "else");

    /** Whether {@code t} can end a value that a subscript applies to. */
    private static boolean isValueEnd(Tok t) {
        if (t == null) return false;
        if (t.kind() == Kind.NAME) return !KEYWORDS.contains(t.text());
        return t.kind() == Kind.STRING || t.is(")") || t.is("]");
    }

    /** The index of the {@code ]} closing the subscript at {@code open} if it is {@code [a:b:c]}, else -1. */
    private static int steppedSlice(List<Tok> in, int open) {
        int depth = 0;
        int colons = 0;
        for (int k = open + 1; k < in.size(); k++) {
            Tok t = in.get(k);
            if (t.is("(") || t.is("[") || t.is("{")) depth++;
            else if (depth > 0 && (t.is(")") || t.is("]") || t.is("}"))) depth--;
            else if (depth == 0 && t.is("]")) return colons == 2 ? k : -1;
            else if (depth == 0 && t.is(":")) colons++;
        }
        return -1;
    }

    private static List<List<Tok>> splitColons(List<Tok> toks) {
        List<List<Tok>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        int depth = 0;
        for (Tok t : toks) {
            if (t.is("(") || t.is("[") || t.is("{")) depth++;
            else if (t.is(")") || t.is("]") || t.is("}")) depth--;
            if (depth == 0 && t.is(":")) out.add(new ArrayList<>());
            else out.get(out.size() - 1).add(t);
        }
        return out;
    }

    /** A filter or test name is expected: after {@code |}, {@code is}, {@code is not} or a filter tag's {@code filter}. */
    private static boolean isPluginPosition(List<Tok> out) {
        Tok p = previous(out);
        if (p == null) return false;
        if (p.is("|") || p.is("is")) return true;
        if (p.is("filter") && before(out, 1) == null) return true; // {% filter ansible.builtin.to_json %}
        return p.is("not") && before(out, 1) != null && before(out, 1).is("is");
    }

    /** The end of NAME(.NAME)+ starting at {@code i}, or {@code i} if it is a single name. */
    private static int dotted(List<Tok> in, int i) {
        int j = i + 1;
        int end = i;
        while (j + 1 < in.size() && in.get(j).is(".") && in.get(j + 1).kind() == Kind.NAME) {
            j += 2;
            end = j;
        }
        return end;
    }

    private static final List<String> LOWER_THAN_FILTER = List.of("and", "or", "not", "if", "else", "in", "is",
            "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "//", "%", "**", "~", ",", ":", "(", "[", "{", "=");

    /** Wraps the operand that ends {@code out} in parentheses if it is a filtered value. */
    private static void parenthesizeFiltered(List<Tok> out) {
        int depth = 0;
        int start = 0;
        boolean filtered = false;
        for (int k = out.size() - 1; k >= 0; k--) {
            Tok t = out.get(k);
            if (t.kind() == Kind.OP && (t.text().equals(")") || t.text().equals("]") || t.text().equals("}"))) depth++;
            else if (depth > 0 && t.kind() == Kind.OP && (t.text().equals("(") || t.text().equals("[") || t.text().equals("{"))) depth--;
            else if (depth == 0 && t.is("|")) filtered = true;
            else if (depth == 0 && (t.kind() == Kind.OP || t.kind() == Kind.NAME) && LOWER_THAN_FILTER.contains(t.text())) {
                start = k + 1;
                break;
            }
        }
        if (!filtered) return;
        while (start < out.size() && out.get(start).kind() == Kind.SPACE) start++;
        int end = out.size();
        while (end > start && out.get(end - 1).kind() == Kind.SPACE) end--;
        out.add(end, new Tok(Kind.OP, ")"));
        out.add(start, new Tok(Kind.OP, "("));
    }

    /** Where the operand starting at {@code from} ends: the next operator of lower precedence than a filter. */
    private static int operandEnd(List<Tok> in, int from) {
        int depth = 0;
        int k = from;
        while (k < in.size() && in.get(k).kind() == Kind.SPACE) k++;
        boolean started = false;
        for (; k < in.size(); k++) {
            Tok t = in.get(k);
            if (t.kind() == Kind.OP && (t.text().equals("(") || t.text().equals("[") || t.text().equals("{"))) depth++;
            else if (t.kind() == Kind.OP && (t.text().equals(")") || t.text().equals("]") || t.text().equals("}"))) {
                if (depth == 0) return k;
                depth--;
            } else if (depth == 0 && started && !t.is("is") && !t.is("not") && (t.kind() == Kind.OP || t.kind() == Kind.NAME)
                    && LOWER_THAN_FILTER.contains(t.text())) {
                return k;
            }
            if (t.kind() != Kind.SPACE) started = true;
        }
        return in.size();
    }

    private static Tok previous(List<Tok> out) {
        return before(out, 0);
    }

    /** The {@code n}-th non-space token from the end of {@code out} (0 = the last). */
    private static Tok before(List<Tok> out, int n) {
        for (int k = out.size() - 1; k >= 0; k--) {
            if (out.get(k).kind() == Kind.SPACE) continue;
            if (n-- == 0) return out.get(k);
        }
        return null;
    }

    private static boolean isNumber(Tok t) {
        return t.kind() == Kind.NUMBER;
    }

    private static void removeLast(List<Tok> out) {
        while (out.get(out.size() - 1).kind() == Kind.SPACE) out.remove(out.size() - 1);
        out.remove(out.size() - 1);
    }

    private static String join(List<Tok> toks) {
        StringBuilder b = new StringBuilder();
        for (Tok t : toks) b.append(t.text());
        return b.toString();
    }

    /** The value of a Python string literal, quotes included in {@code lit}. */
    static String decode(String lit, boolean literalBackslashes) {
        char q = lit.charAt(0);
        if (lit.length() < 2 || lit.charAt(lit.length() - 1) != q) {
            throw new TemplateException("unterminated string " + lit);
        }
        String s = lit.substring(1, lit.length() - 1);
        if (literalBackslashes) {
            // Ansible doubles every backslash, so an escaped quote ends the string early: a syntax error there too
            if (s.contains("\\" + q)) {
                throw new TemplateException("syntax error in " + lit + ": inside {{ }} a backslash is literal, so \\" + q
                        + " ends the string (write the other quote around it)");
            }
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case '\\': out.append('\\'); break;
                case '\'': out.append('\''); break;
                case '"': out.append('"'); break;
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case 'a': out.append('\u0007'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'v': out.append('\u000b'); break;
                case '\n': break;
                case 'x': i = hex(s, i, 2, out); break;
                case 'u': i = hex(s, i, 4, out); break;
                case 'U': i = hex(s, i, 8, out); break;
                default:
                    if (n >= '0' && n <= '7') {
                        int j = i;
                        while (j < s.length() && j < i + 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') j++;
                        out.append((char) Integer.parseInt(s.substring(i, j), 8));
                        i = j - 1;
                    } else {
                        out.append('\\').append(n);
                    }
            }
        }
        return out.toString();
    }

    private static int hex(String s, int i, int n, StringBuilder out) {
        String h = s.substring(i + 1, Math.min(s.length(), i + 1 + n));
        if (h.length() < n || !h.matches("[0-9a-fA-F]+")) {
            throw new TemplateException("truncated \\" + s.charAt(i) + " escape in '" + s + "'");
        }
        out.appendCodePoint(Integer.parseInt(h, 16));
        return i + n;
    }

    /** A literal Jinjava reads back as {@code value}: it knows only the escapes \\ and \'. */
    private static String jinjavaString(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
