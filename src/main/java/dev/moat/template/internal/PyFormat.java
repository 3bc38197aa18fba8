package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.hubspot.jinjava.el.ext.NamedParameter;

import dev.moat.template.TemplateException;

/** Python's string formatting: {@code 'fmt' % args} and {@code 'fmt'.format(args)}, the common forms. */
final class PyFormat {
    private static final Pattern PERCENT = Pattern.compile("%(?:\\((\\w+)\\))?([-+ 0#]*)(\\d+|\\*)?(?:\\.(\\d+))?([sdifrxXoeEgGc%])");
    private static final Pattern SPEC = Pattern.compile("(?:(.)?([<>^=]))?([-+ ])?(#)?(0)?(\\d+)?(,)?(?:\\.(\\d+))?([bcdeEfFgGnosxX%])?");

    private PyFormat() {}

    /** {@code fmt % args}: a tuple (list) of values, a mapping for {@code %(name)s}, or one value. */
    static String percent(String fmt, Object args) {
        List<Object> values = new ArrayList<>();
        if (args instanceof List<?> l) values.addAll(l);
        else values.add(args);
        Matcher m = PERCENT.matcher(fmt);
        StringBuilder out = new StringBuilder();
        int last = 0;
        int next = 0;
        boolean named = false;
        while (m.find()) {
            out.append(fmt, last, m.start());
            last = m.end();
            char conv = m.group(5).charAt(0);
            if (conv == '%') {
                out.append('%');
                continue;
            }
            Object v;
            if (m.group(1) != null) {
                named = true;
                if (!(args instanceof Map<?, ?> map)) throw new TemplateException("format requires a mapping");
                v = map.get(m.group(1));
            } else {
                if (next >= values.size()) throw new TemplateException("not enough arguments for format string");
                v = values.get(next++);
            }
            out.append(one(v, m.group(2), m.group(3), m.group(4), conv));
        }
        if (!named && next < values.size()) {
            throw new TemplateException("not all arguments converted during string formatting");
        }
        out.append(fmt.substring(last));
        return out.toString();
    }

    private static String one(Object v, String flags, String width, String precision, char conv) {
        String body;
        boolean numeric = "dieEfFgGxXo".indexOf(conv) >= 0;
        switch (conv) {
            case 's': body = PyRepr.str(v); break;
            case 'r': body = PyRepr.repr(v); break;
            case 'c': body = v instanceof Number n ? String.valueOf((char) n.intValue()) : PyRepr.str(v); break;
            case 'd': case 'i': body = String.valueOf(number(v).longValue()); break;
            case 'x': body = Long.toHexString(number(v).longValue()); break;
            case 'X': body = Long.toHexString(number(v).longValue()).toUpperCase(); break;
            case 'o': body = Long.toOctalString(number(v).longValue()); break;
            default:
                body = String.format(Locale.ROOT, "%." + (precision == null ? 6 : Integer.parseInt(precision)) + conv, number(v).doubleValue());
        }
        if (conv == 's' && precision != null) body = body.substring(0, Math.min(body.length(), Integer.parseInt(precision)));
        if (numeric && flags.contains("+") && !body.startsWith("-")) body = "+" + body;
        else if (numeric && flags.contains(" ") && !body.startsWith("-")) body = " " + body;
        int w = width == null ? 0 : Integer.parseInt(width);
        if (body.length() >= w) return body;
        if (flags.contains("-")) return body + " ".repeat(w - body.length());
        if (numeric && flags.contains("0")) {
            int sign = body.startsWith("-") || body.startsWith("+") || body.startsWith(" ") ? 1 : 0;
            return body.substring(0, sign) + "0".repeat(w - body.length()) + body.substring(sign);
        }
        return " ".repeat(w - body.length()) + body;
    }

    private static Number number(Object v) {
        if (v instanceof Boolean b) return b ? 1 : 0;
        if (v instanceof Number n) return n;
        throw new TemplateException("%d format: a number is required, not " + TextFilters.pythonType(v));
    }

    /** {@code fmt.format(*args, **kwargs)}: {@code {}}, {@code {0}}, {@code {name}}, {@code !r}, and a format spec. */
    static String format(String fmt, Object[] a) {
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        for (Object o : a) {
            if (o instanceof NamedParameter p) kwargs.put(p.getName(), p.getValue());
            else args.add(o);
        }
        StringBuilder out = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c == '{' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '{') {
                out.append('{');
                i++;
            } else if (c == '}' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '}') {
                out.append('}');
                i++;
            } else if (c == '{') {
                int end = fmt.indexOf('}', i);
                if (end < 0) throw new TemplateException("Single '{' encountered in format string");
                String field = fmt.substring(i + 1, end);
                String spec = "";
                int colon = field.indexOf(':');
                if (colon >= 0) {
                    spec = field.substring(colon + 1);
                    field = field.substring(0, colon);
                }
                char conversion = 0;
                int bang = field.indexOf('!');
                if (bang >= 0) {
                    conversion = field.charAt(bang + 1);
                    field = field.substring(0, bang);
                }
                Object v;
                if (field.isEmpty()) v = get(args, auto++);
                else if (field.matches("\\d+")) v = get(args, Integer.parseInt(field));
                else if (kwargs.containsKey(field)) v = kwargs.get(field);
                else throw new TemplateException("KeyError: '" + field + "' in format string");
                if (conversion == 'r') v = PyRepr.repr(v);
                else if (conversion == 's') v = PyRepr.str(v);
                out.append(spec(v, spec));
                i = end;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Object get(List<Object> args, int i) {
        if (i >= args.size()) throw new TemplateException("Replacement index " + i + " out of range for positional args tuple");
        return args.get(i);
    }

    private static String spec(Object v, String spec) {
        if (spec.isEmpty()) return PyRepr.str(v);
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) throw new TemplateException("Invalid format specifier '" + spec + "'");
        String fill = m.group(1) == null ? " " : m.group(1);
        String align = m.group(2);
        String type = m.group(9);
        String body;
        boolean numeric = v instanceof Number;
        if (type == null) {
            body = m.group(8) != null && v instanceof Number n ? String.format(Locale.ROOT, "%." + m.group(8) + "g", n.doubleValue()) : PyRepr.str(v);
            if (!numeric && m.group(8) != null) body = body.substring(0, Math.min(body.length(), Integer.parseInt(m.group(8))));
        } else {
            String flags = (m.group(3) == null ? "" : m.group(3)) + (m.group(7) == null ? "" : ",");
            switch (type) {
                case "s": body = PyRepr.str(v); break;
                case "d": case "n": body = String.format(Locale.ROOT, "%" + flags + "d", number(v).longValue()); break;
                case "x": case "X": case "o": body = one(v, "", null, null, type.charAt(0)); break;
                case "b": body = Long.toBinaryString(number(v).longValue()); break;
                case "%": body = String.format(Locale.ROOT, "%" + flags + "." + (m.group(8) == null ? 6 : m.group(8)) + "f", number(v).doubleValue() * 100) + "%"; break;
                default:
                    body = String.format(Locale.ROOT, "%" + flags + "." + (m.group(8) == null ? 6 : m.group(8)) + type.toLowerCase(), number(v).doubleValue());
                    if (Character.isUpperCase(type.charAt(0))) body = body.toUpperCase();
            }
        }
        int width = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        if (m.group(5) != null && align == null) {
            fill = "0";
            align = "=";
        }
        if (align == null) align = numeric ? ">" : "<";
        int pad = width - body.length();
        if (pad <= 0) return body;
        switch (align) {
            case "<": return body + fill.repeat(pad);
            case ">": return fill.repeat(pad) + body;
            case "^": return fill.repeat(pad / 2) + body + fill.repeat(pad - pad / 2);
            default:
                int sign = body.startsWith("-") || body.startsWith("+") ? 1 : 0;
                return body.substring(0, sign) + fill.repeat(pad) + body.substring(sign);
        }
    }
}
