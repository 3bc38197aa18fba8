package dev.moat.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code ast.literal_eval}, as Ansible's INI inventory applies it to every value
 * ({@code _parse_value}): {@code 8080} is an int, {@code 1.5} a float, {@code True}/{@code False}/
 * {@code None} what they say, {@code 'x'}/{@code "x"} a string without its quotes,
 * {@code [..]}/{@code (..)}/{@code {..}} a list or dict; anything else — {@code yes}, {@code 01},
 * {@code 1.2.3}, {@code true} — stays the text as written. Tuples and sets become lists; complex
 * numbers, bytes and f-strings stay text (Ansible could not print them as JSON either).
 */
final class PyLiteral {
    /** Not a literal: the caller keeps the text. */
    private static final class NotLiteral extends RuntimeException {
        NotLiteral() {
            super(null, null, false, false);
        }
    }

    private final String s;
    private int i;

    private PyLiteral(String s) {
        this.s = s;
    }

    /** The value {@code text} stands for, or {@code text} itself. */
    static Object eval(String text) {
        PyLiteral p = new PyLiteral(text);
        try {
            p.skip();
            Object v = p.value();
            p.skip();
            if (p.i != p.s.length()) throw new NotLiteral();
            return v;
        } catch (NotLiteral | NumberFormatException e) {
            return text;
        }
    }

    private void skip() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\f') i++;
            else if (c == '#') i = s.length();
            else break;
        }
    }

    private boolean at(char c) {
        skip();
        return i < s.length() && s.charAt(i) == c;
    }

    private Object value() {
        skip();
        if (i >= s.length()) throw new NotLiteral();
        char c = s.charAt(i);
        if (c == '[') return sequence('[', ']');
        if (c == '(') return parens();
        if (c == '{') return braces();
        if (c == '-' || c == '+') {
            i++;
            skip();
            Object n = number();
            if (c == '+') return n;
            if (n instanceof Double d) return -d;
            return narrow(new BigInteger(String.valueOf(n)).negate());
        }
        if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) return number();
        if (c == '\'' || c == '"') return strings();
        if (Character.isLetter(c) || c == '_') {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            String word = s.substring(start, i);
            if (i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"') && word.matches("(?i)[rub]|br|rb")) {
                if (word.toLowerCase().contains("b")) throw new NotLiteral();
                return strings(word.toLowerCase().contains("r"));
            }
            switch (word) {
                case "True": return Boolean.TRUE;
                case "False": return Boolean.FALSE;
                case "None": return null;
                default: throw new NotLiteral();
            }
        }
        throw new NotLiteral();
    }

    private List<Object> sequence(char open, char close) {
        i++;
        List<Object> out = new ArrayList<>();
        while (!at(close)) {
            out.add(value());
            if (at(',')) i++;
            else if (!at(close)) throw new NotLiteral();
        }
        i++;
        return out;
    }

    /** {@code (x)} is x; {@code ()}, {@code (x,)} and {@code (x, y)} are tuples, here lists. */
    private Object parens() {
        i++;
        if (at(')')) {
            i++;
            return new ArrayList<>();
        }
        Object first = value();
        if (at(')')) {
            i++;
            return first;
        }
        List<Object> out = new ArrayList<>();
        out.add(first);
        while (at(',')) {
            i++;
            if (at(')')) break;
            out.add(value());
        }
        if (!at(')')) throw new NotLiteral();
        i++;
        return out;
    }

    private Object braces() {
        i++;
        if (at('}')) {
            i++;
            return new LinkedHashMap<String, Object>();
        }
        Object first = value();
        if (at(':')) {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            m.put(key(first), value());
            while (at(',')) {
                i++;
                if (at('}')) break;
                Object k = value();
                if (!at(':')) throw new NotLiteral();
                i++;
                m.put(key(k), value());
            }
            if (!at('}')) throw new NotLiteral();
            i++;
            return m;
        }
        List<Object> set = new ArrayList<>();
        set.add(first);
        while (at(',')) {
            i++;
            if (at('}')) break;
            set.add(value());
        }
        if (!at('}')) throw new NotLiteral();
        i++;
        return set;
    }

    private static String key(Object k) {
        if (k instanceof List<?> || k instanceof Map<?, ?>) throw new NotLiteral();
        if (k instanceof Boolean b) return b ? "true" : "false";
        return k == null ? "null" : k instanceof Double d ? PyFormat.floatRepr(d) : String.valueOf(k);
    }

    private Object number() {
        int start = i;
        if (i + 1 < s.length() && s.charAt(i) == '0' && "xXoObB".indexOf(s.charAt(i + 1)) >= 0) {
            char kind = Character.toLowerCase(s.charAt(i + 1));
            i += 2;
            int digitsStart = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            String body = s.substring(digitsStart, i);
            String digits = underscores(body.startsWith("_") ? body.substring(1) : body);
            int radix = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
            return narrow(new BigInteger(digits, radix));
        }
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        boolean isFloat = false;
        if (i < s.length() && s.charAt(i) == '.') {
            isFloat = true;
            i++;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            isFloat = true;
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
            int ds = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            if (ds == i) throw new NotLiteral();
        }
        if (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
            throw new NotLiteral();
        }
        String text = s.substring(start, i);
        if (isFloat) {
            for (String part : text.split("[.eE+-]")) if (!part.isEmpty()) underscores(part);
            return Double.parseDouble(text.replace("_", ""));
        }
        String digits = underscores(text);
        if (digits.length() > 1 && digits.charAt(0) == '0' && !digits.matches("0+")) throw new NotLiteral();
        return narrow(new BigInteger(digits));
    }

    /** Python allows one underscore between digits only. */
    private static String underscores(String digits) {
        if (digits.isEmpty() || digits.startsWith("_") || digits.endsWith("_") || digits.contains("__")) throw new NotLiteral();
        return digits.replace("_", "");
    }

    private static Object narrow(BigInteger b) {
        if (b.bitLength() < 32) return b.intValue();
        if (b.bitLength() < 64) return b.longValue();
        return b;
    }

    private String strings() {
        return strings(false);
    }

    /** One string literal or several adjacent ones ({@code 'a' "b"} is {@code ab}). */
    private String strings(boolean raw) {
        StringBuilder b = new StringBuilder(string(raw));
        while (true) {
            skip();
            if (i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"')) {
                b.append(string(false));
            } else {
                int save = i;
                int j = i;
                while (j < s.length() && Character.isLetter(s.charAt(j))) j++;
                String prefix = s.substring(i, j);
                if (j > i && j < s.length() && (s.charAt(j) == '\'' || s.charAt(j) == '"') && prefix.matches("(?i)[ru]")) {
                    i = j;
                    b.append(string(prefix.equalsIgnoreCase("r")));
                } else {
                    i = save;
                    return b.toString();
                }
            }
        }
    }

    private String string(boolean raw) {
        char q = s.charAt(i);
        boolean triple = s.startsWith(String.valueOf(q).repeat(3), i);
        i += triple ? 3 : 1;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw new NotLiteral();
            char c = s.charAt(i);
            if (triple ? s.startsWith(String.valueOf(q).repeat(3), i) : c == q) {
                i += triple ? 3 : 1;
                return b.toString();
            }
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (raw) {
                    b.append(c).append(n);
                    i += 2;
                    continue;
                }
                i += 2;
                switch (n) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case '0': b.append('\0'); break;
                    case 'a': b.append('\007'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'v': b.append('\013'); break;
                    case '\\': b.append('\\'); break;
                    case '\'': b.append('\''); break;
                    case '"': b.append('"'); break;
                    case 'x': b.append((char) Integer.parseInt(s.substring(i, i + 2), 16)); i += 2; break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append('\\').append(n);
                }
                continue;
            }
            b.append(c);
            i++;
        }
    }
}
