package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.List;

import dev.moat.template.TemplateException;

/** Python's string methods that Ansible's Jinja lets templates call ({@code 'a b'.split()}, {@code x.startswith('v')}). */
final class PyStrings {
    private PyStrings() {}

    /**
     * The result of {@code s.name(args)}, or {@link #NONE} when Python's str has no such method
     * (then Java's own may apply).
     */
    static Object call(String s, String name, Object[] a) {
        switch (name) {
            case "split": return split(s, arg(a, 0), a.length > 1 ? AnsibleFilters.toInt(a[1]) : -1);
            case "rsplit": return rsplit(s, arg(a, 0), a.length > 1 ? AnsibleFilters.toInt(a[1]) : -1);
            case "splitlines": return splitlines(s);
            case "startswith": return affix(s, a, true);
            case "endswith": return affix(s, a, false);
            case "strip": return strip(s, arg(a, 0), true, true);
            case "lstrip": return strip(s, arg(a, 0), true, false);
            case "rstrip": return strip(s, arg(a, 0), false, true);
            case "upper": return s.toUpperCase();
            case "lower": return s.toLowerCase();
            case "title": return title(s);
            case "capitalize": return s.isEmpty() ? s : s.substring(0, 1).toUpperCase() + s.substring(1).toLowerCase();
            case "swapcase": return swapcase(s);
            case "replace": return replace(s, str(a[0]), str(a[1]), a.length > 2 ? AnsibleFilters.toInt(a[2]) : -1);
            case "join": return join(s, a[0]);
            case "find": return s.indexOf(str(a[0]));
            case "rfind": return s.lastIndexOf(str(a[0]));
            case "index": return index(s, str(a[0]), s.indexOf(str(a[0])));
            case "rindex": return index(s, str(a[0]), s.lastIndexOf(str(a[0])));
            case "count": return count(s, str(a[0]));
            case "center": return pad(s, AnsibleFilters.toInt(a[0]), a.length > 1 ? str(a[1]) : " ", 0);
            case "ljust": return pad(s, AnsibleFilters.toInt(a[0]), a.length > 1 ? str(a[1]) : " ", -1);
            case "rjust": return pad(s, AnsibleFilters.toInt(a[0]), a.length > 1 ? str(a[1]) : " ", 1);
            case "zfill": return zfill(s, AnsibleFilters.toInt(a[0]));
            case "isdigit": return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha": return !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum": return !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace": return !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "islower": return s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase());
            case "isupper": return s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase());
            case "format": return PyFormat.format(s, a);
            default: return NONE;
        }
    }

    /** No Python method of that name. */
    static final Object NONE = new Object();

    /** {@code str.split(sep, maxsplit)}: without a separator, runs of whitespace split and ends are dropped. */
    static List<Object> split(String s, Object sep, int max) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && Character.isWhitespace(s.charAt(i))) i++;
                if (i >= n) break;
                if (max >= 0 && out.size() == max) {
                    out.add(s.substring(i).stripTrailing());
                    break;
                }
                int j = i;
                while (j < n && !Character.isWhitespace(s.charAt(j))) j++;
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        String d = str(sep);
        if (d.isEmpty()) throw new TemplateException("split: empty separator");
        int i = 0;
        while (max < 0 || out.size() < max) {
            int j = s.indexOf(d, i);
            if (j < 0) break;
            out.add(s.substring(i, j));
            i = j + d.length();
        }
        out.add(s.substring(i));
        return out;
    }

    private static List<Object> rsplit(String s, Object sep, int max) {
        if (max < 0) return split(s, sep, -1);
        if (sep == null) {
            List<Object> all = split(s, null, -1);
            if (all.size() <= max + 1) return all;
            String head = s.stripTrailing();
            int cut = head.length();
            for (int n = 0; n < max; n++) {
                int j = cut;
                while (j > 0 && !Character.isWhitespace(head.charAt(j - 1))) j--;
                cut = j;
                while (cut > 0 && Character.isWhitespace(head.charAt(cut - 1))) cut--;
            }
            List<Object> out = new ArrayList<>();
            out.add(head.substring(0, cut).strip());
            out.addAll(all.subList(all.size() - max, all.size()));
            return out;
        }
        String d = str(sep);
        List<Object> out = new ArrayList<>();
        int end = s.length();
        while (out.size() < max) {
            int j = s.lastIndexOf(d, end - d.length());
            if (j < 0 || end - d.length() < 0) break;
            out.add(0, s.substring(j + d.length(), end));
            end = j;
        }
        out.add(0, s.substring(0, end));
        return out;
    }

    private static List<Object> splitlines(String s) {
        List<Object> out = new ArrayList<>(List.of(s.split("\r\n|\r|\n", -1)));
        if (!out.isEmpty() && "".equals(out.get(out.size() - 1))) out.remove(out.size() - 1);
        return out;
    }

    private static boolean affix(String s, Object[] a, boolean prefix) {
        List<Object> options = a[0] instanceof List<?> l ? new ArrayList<>(l) : List.of(a[0]);
        for (Object o : options) {
            if (prefix ? s.startsWith(str(o)) : s.endsWith(str(o))) return true;
        }
        return false;
    }

    static String strip(String s, Object chars, boolean left, boolean right) {
        int i = 0;
        int j = s.length();
        String set = chars == null ? null : str(chars);
        while (left && i < j && strippable(s.charAt(i), set)) i++;
        while (right && j > i && strippable(s.charAt(j - 1), set)) j--;
        return s.substring(i, j);
    }

    private static boolean strippable(char c, String set) {
        return set == null ? Character.isWhitespace(c) : set.indexOf(c) >= 0;
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder();
        boolean prevLetter = false;
        for (char c : s.toCharArray()) {
            out.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return out.toString();
    }

    private static String swapcase(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) out.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        return out.toString();
    }

    private static String replace(String s, String old, String with, int count) {
        if (count < 0) return s.replace(old, with);
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (int n = 0; n < count; n++) {
            int j = s.indexOf(old, i);
            if (j < 0) break;
            out.append(s, i, j).append(with);
            i = j + old.length();
        }
        return out.append(s.substring(i)).toString();
    }

    private static String join(String sep, Object items) {
        List<String> parts = new ArrayList<>();
        for (Object o : ListFilters.list("join", items)) {
            if (!(o instanceof CharSequence)) throw new TemplateException("sequence item: expected str instance, " + TextFilters.pythonType(o) + " found");
            parts.add(o.toString());
        }
        return String.join(sep, parts);
    }

    private static int index(String s, String sub, int at) {
        if (at < 0) throw new TemplateException("substring not found");
        return at;
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
        return n;
    }

    private static String pad(String s, int width, String fill, int where) {
        int total = width - s.length();
        if (total <= 0) return s;
        if (where < 0) return s + fill.repeat(total);
        if (where > 0) return fill.repeat(total) + s;
        int left = total / 2 + (total & width & 1);
        return fill.repeat(left) + s + fill.repeat(total - left);
    }

    private static String zfill(String s, int width) {
        if (s.length() >= width) return s;
        boolean sign = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+');
        String zeros = "0".repeat(width - s.length());
        return sign ? s.charAt(0) + zeros + s.substring(1) : zeros + s;
    }

    private static Object arg(Object[] a, int i) {
        return i < a.length ? a[i] : null;
    }

    private static String str(Object v) {
        return PyRepr.str(v);
    }
}
