package dev.moat.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's inline argument syntax, {@code dest=/x content="hi there" mode=0644}, as
 * {@code split_args}/{@code parse_kv} read it: tokens split on whitespace outside quotes and outside
 * Jinja blocks ({@code msg={{ x | default('a b') }}} is one token); a quoted value is unquoted.
 */
public final class KeyValue {
    private static final Pattern PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);

    /** One token: its raw text, and key and value when it is {@code key=value}. */
    public record Token(String raw, String key, String value) {
        public boolean isPair() {
            return key != null;
        }
    }

    private KeyValue() {}

    /** Splits {@code s} into tokens; throws IllegalArgumentException on an unclosed quote or Jinja block. */
    public static List<Token> split(String s) {
        List<String> raw = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        int jinja = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                cur.append(c);
                if (c == '\\' && i + 1 < s.length()) cur.append(s.charAt(++i));
                else if (c == quote) quote = 0;
                continue;
            }
            if (c == '{' && i + 1 < s.length() && "{%#".indexOf(s.charAt(i + 1)) >= 0) {
                jinja++;
                cur.append(c).append(s.charAt(++i));
                continue;
            }
            if (jinja > 0 && "}%#".indexOf(c) >= 0 && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                jinja--;
                cur.append(c).append(s.charAt(++i));
                continue;
            }
            if (jinja == 0 && (c == '"' || c == '\'')) {
                quote = c;
                cur.append(c);
                continue;
            }
            if (jinja == 0 && Character.isWhitespace(c)) {
                if (cur.length() > 0) raw.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        if (quote != 0) throw new IllegalArgumentException("unclosed " + quote + " quote");
        if (jinja != 0) throw new IllegalArgumentException("unclosed Jinja block");
        if (cur.length() > 0) raw.add(cur.toString());
        List<Token> out = new ArrayList<>();
        for (String r : raw) {
            Matcher m = PAIR.matcher(r);
            out.add(m.matches() ? new Token(r, m.group(1), unquote(m.group(2))) : new Token(r, null, null));
        }
        return out;
    }

    /** {@code "a \"b\""} is {@code a "b"}; an unquoted value is returned as it is. */
    public static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            char q = v.charAt(0);
            String inner = v.substring(1, v.length() - 1);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\' && i + 1 < inner.length() && (inner.charAt(i + 1) == q || inner.charAt(i + 1) == '\\')) {
                    out.append(inner.charAt(++i));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
        return v;
    }
}
