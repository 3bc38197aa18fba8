package dev.moat.template.internal;

import static dev.moat.template.internal.AnsibleFilters.arg;
import static dev.moat.template.internal.AnsibleFilters.fail;
import static dev.moat.template.internal.AnsibleFilters.str;
import static dev.moat.template.internal.AnsibleFilters.toInt;
import static dev.moat.template.internal.AnsibleFilters.truthy;
import static dev.moat.template.internal.AnsibleFilters.typeName;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's filters over strings, numbers, paths, hashes and dates ({@code comment},
 * {@code splitext}, {@code hash}, {@code password_hash}, {@code human_readable}, {@code to_datetime},
 * {@code strftime}, ...) and Jinja's where Jinjava answers differently ({@code int}, {@code round},
 * {@code split}, {@code truncate}).
 */
final class TextFilters {
    private static final Pattern HUMAN = Pattern.compile("^\\s*(\\d*\\.?\\d*)\\s*([A-Za-z]+)?");
    private static final String UNITS = "BKMGTPEZY";

    private TextFilters() {}

    static List<NamedFilter> all() {
        List<NamedFilter> f = new ArrayList<>();
        f.add(new NamedFilter("comment", TextFilters::comment));
        f.add(new NamedFilter("splitext", (v, a, k) -> {
            String s = str(v);
            int slash = s.lastIndexOf('/');
            int dot = s.lastIndexOf('.');
            int start = slash + 1;
            while (start < s.length() && s.charAt(start) == '.') start++;
            if (dot < start) return Tuple.of(s, "");
            return Tuple.of(s.substring(0, dot), s.substring(dot));
        }));
        f.add(new NamedFilter("type_debug", (v, a, k) -> pythonType(v)));
        f.add(new NamedFilter("hash", (v, a, k) -> hash(v, str(arg(a, k, 0, "hashtype", "sha1")))));
        f.add(new NamedFilter("checksum", (v, a, k) -> hash(v, "sha1")));
        f.add(new NamedFilter("sha1", (v, a, k) -> hash(v, "sha1")));
        f.add(new NamedFilter("md5", (v, a, k) -> hash(v, "md5")));
        f.add(new NamedFilter("password_hash", TextFilters::passwordHash));
        f.add(new NamedFilter("human_readable", TextFilters::humanReadable));
        f.add(new NamedFilter("human_to_bytes", TextFilters::humanToBytes));
        f.add(new NamedFilter("to_datetime", (v, a, k) -> PyDate.parse(str(v), str(arg(a, k, 0, "format", "%Y-%m-%d %H:%M:%S")))));
        f.add(new NamedFilter("strftime", (v, a, k) -> {
            Object second = arg(a, k, 0, "second", null);
            boolean utc = truthy(arg(a, k, 1, "utc", false));
            Instant at = second == null ? Instant.now() : Instant.ofEpochMilli((long) (toDouble(second) * 1000));
            return PyDate.format(LocalDateTime.ofInstant(at, utc ? ZoneOffset.UTC : ZoneId.systemDefault()), str(v));
        }));
        f.add(new NamedFilter("expanduser", (v, a, k) -> {
            String s = str(v);
            if (s.equals("~") || s.startsWith("~/")) return System.getProperty("user.home") + s.substring(1);
            return s;
        }));
        f.add(new NamedFilter("path_join", (v, a, k) -> {
            List<Object> parts = v instanceof Collection<?> c ? new ArrayList<>(c) : List.of(v);
            String out = "";
            for (Object p : parts) {
                String s = str(p);
                if (s.startsWith("/") || out.isEmpty()) out = s;
                else out = out.endsWith("/") ? out + s : out + "/" + s;
            }
            return out;
        }));
        f.add(new NamedFilter("int", TextFilters::toInteger));
        f.add(new NamedFilter("float", (v, a, k) -> {
            try {
                return v instanceof Number n ? n.doubleValue() : Double.parseDouble(str(v).strip());
            } catch (NumberFormatException e) {
                return toDouble(arg(a, k, 0, "default", 0.0));
            }
        }));
        f.add(new NamedFilter("round", (v, a, k) -> {
            int precision = toInt(arg(a, k, 0, "precision", 0));
            String method = str(arg(a, k, 1, "method", "common"));
            BigDecimal d = new BigDecimal(toDouble(v));
            RoundingMode mode = switch (method) {
                case "ceil" -> RoundingMode.CEILING;
                case "floor" -> RoundingMode.FLOOR;
                case "common" -> RoundingMode.HALF_EVEN;
                default -> throw fail("round: method must be 'common', 'ceil' or 'floor'");
            };
            return d.setScale(precision, mode).doubleValue(); // exact binary value, as Python's round()
        }));
        f.add(new NamedFilter("pow", (v, a, k) -> Math.pow(toDouble(v), toDouble(arg(a, k, 0, "y", 1)))));
        f.add(new NamedFilter("root", (v, a, k) -> {
            double base = toDouble(arg(a, k, 0, "base", 2));
            return base == 2 ? Math.sqrt(toDouble(v)) : Math.pow(toDouble(v), 1.0 / base);
        }));
        f.add(new NamedFilter("log", (v, a, k) -> {
            Object base = arg(a, k, 0, "base", null);
            if (base == null) return Math.log(toDouble(v));
            if (toDouble(base) == 10) return Math.log10(toDouble(v));
            return Math.log(toDouble(v)) / Math.log(toDouble(base));
        }));
        f.add(new NamedFilter("split", (v, a, k) -> PyStrings.split(str(v), arg(a, k, 0, "sep", null), toInt(arg(a, k, 1, "maxsplit", -1)))));
        f.add(new NamedFilter("truncate", (v, a, k) -> {
            String s = str(v);
            int length = toInt(arg(a, k, 0, "length", 255));
            boolean killwords = truthy(arg(a, k, 1, "killwords", false));
            String end = str(arg(a, k, 2, "end", "..."));
            int leeway = toInt(arg(a, k, 3, "leeway", 5));
            if (s.length() <= length + leeway) return s;
            if (killwords) return s.substring(0, Math.max(0, length - end.length())) + end;
            String cut = s.substring(0, Math.max(0, length - end.length()));
            int space = cut.lastIndexOf(' ');
            return (space < 0 ? cut : cut.substring(0, space)) + end;
        }));
        f.add(new NamedFilter("moat_percent", (v, a, k) -> PyFormat.percent(str(v), a.length == 1 ? a[0] : List.of(a))));
        return f;
    }

    private static Object comment(Object v, Object[] a, Map<String, Object> k) {
        String style = str(arg(a, k, 0, "style", "plain"));
        Map<String, String> s = new LinkedHashMap<>();
        switch (style) {
            case "plain": s.put("decoration", "# "); break;
            case "erlang": s.put("decoration", "% "); break;
            case "c": s.put("decoration", "// "); break;
            case "cblock": s.put("beginning", "/*"); s.put("decoration", " * "); s.put("end", " */"); break;
            case "xml": s.put("beginning", "<!--"); s.put("decoration", " - "); s.put("end", "-->"); break;
            default: throw fail("comment: unknown style '" + style + "' (plain, erlang, c, cblock, xml)");
        }
        String prepostfix = k.containsKey("decoration") ? str(k.get("decoration")) : s.get("decoration");
        Map<String, String> p = new LinkedHashMap<>();
        p.put("newline", "\n");
        p.put("beginning", "");
        p.put("prefix", prepostfix.stripTrailing());
        p.put("prefix_count", "1");
        p.put("decoration", "");
        p.put("postfix", prepostfix.stripTrailing());
        p.put("postfix_count", "1");
        p.put("end", "");
        p.putAll(s);
        k.forEach((key, val) -> p.put(key, str(val)));
        String nl = p.get("newline");
        String deco = p.get("decoration");
        StringBuilder out = new StringBuilder();
        if (!p.get("beginning").isEmpty()) out.append(p.get("beginning")).append(nl);
        if (!p.get("prefix").isEmpty()) {
            String one = p.get("prefix").equals(nl) ? nl : p.get("prefix") + nl;
            out.append(one.repeat(Integer.parseInt(p.get("prefix_count"))));
        }
        out.append((deco + str(v).replace(nl, nl + deco)).replace(deco + nl, deco.stripTrailing() + nl));
        for (int i = 0; i < Integer.parseInt(p.get("postfix_count")); i++) out.append(nl).append(p.get("postfix"));
        if (!p.get("end").isEmpty()) out.append(nl).append(p.get("end"));
        return out.toString();
    }

    static String pythonType(Object v) {
        if (v == null) return "NoneType";
        if (v instanceof Boolean) return "bool";
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) return "float";
        if (v instanceof Number) return "int";
        if (v instanceof CharSequence) return "str";
        if (v instanceof Map) return "dict";
        if (PyRepr.isTuple(v)) return "tuple";
        if (v instanceof Collection) return "list";
        if (v instanceof LocalDateTime) return "datetime";
        if (v instanceof TimeDelta) return "timedelta";
        return v.getClass().getSimpleName();
    }

    private static String hash(Object v, String type) {
        String alg = switch (type) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw fail("hash: unsupported hash type '" + type + "'");
        };
        return Crypt.hex(Crypt.digest(alg).digest(str(v).getBytes(StandardCharsets.UTF_8)));
    }

    private static Object passwordHash(Object v, Object[] a, Map<String, Object> k) {
        String type = str(arg(a, k, 0, "hashtype", "sha512"));
        Object salt = arg(a, k, 1, "salt", null);
        Object rounds = arg(a, k, 3, "rounds", null);
        if (salt == null) {
            throw fail("password_hash: moat needs a salt (password_hash('" + type + "', 'SALT')): a random one would change "
                    + "the hash, and the file holding it, on every run");
        }
        switch (type) {
            case "sha512":
            case "sha512_crypt":
                return Crypt.shaCrypt(str(v), str(salt), rounds == null ? 656000 : toInt(rounds), 512);
            case "sha256":
            case "sha256_crypt":
                return Crypt.shaCrypt(str(v), str(salt), rounds == null ? 535000 : toInt(rounds), 256);
            case "bcrypt":
            case "blowfish":
                return Crypt.bcrypt(str(v), str(salt), rounds == null ? 12 : toInt(rounds));
            default:
                throw fail("password_hash: moat has 'sha512', 'sha256' and 'bcrypt', not '" + type + "'");
        }
    }

    private static Object humanReadable(Object v, Object[] a, Map<String, Object> k) {
        boolean bits = truthy(arg(a, k, 0, "isbits", false));
        Object unit = arg(a, k, 1, "unit", null);
        double size = toDouble(v);
        String base = bits ? "bits" : "Bytes";
        int i = UNITS.length() - 1;
        for (; i > 0; i--) {
            double limit = Math.pow(1024, i);
            if ((unit == null && size >= limit) || (unit != null && str(unit).toUpperCase().charAt(0) == UNITS.charAt(i))) break;
        }
        String suffix = i == 0 ? base : UNITS.charAt(i) + base.substring(0, 1);
        return String.format(Locale.ROOT, "%.2f %s", size / Math.pow(1024, i), suffix);
    }

    private static Object humanToBytes(Object v, Object[] a, Map<String, Object> k) {
        Object defaultUnit = arg(a, k, 0, "default_unit", null);
        boolean bits = truthy(arg(a, k, 1, "isbits", false));
        Matcher m = HUMAN.matcher(str(v));
        double num;
        try {
            m.find();
            num = Double.parseDouble(m.group(1));
        } catch (RuntimeException e) {
            throw fail("human_to_bytes() can't interpret following string: " + str(v));
        }
        String unit = m.group(2) != null ? m.group(2) : defaultUnit == null ? null : str(defaultUnit);
        if (unit == null) return Plain.of(Math.round(num));
        int range = UNITS.indexOf(Character.toUpperCase(unit.charAt(0)));
        if (range < 0) throw fail("human_to_bytes() failed to convert " + str(v) + " (unit = " + unit + ")");
        String unitClass = bits ? "b" : "B";
        if (unit.length() > 1 && !unit.toLowerCase().contains(bits ? "bit" : "byte") && unit.charAt(1) != unitClass.charAt(0)) {
            throw fail("human_to_bytes() failed to convert " + str(v) + ". Value is not a valid string");
        }
        return Plain.of(Math.round(num * Math.pow(1024, range)));
    }

    private static Object toInteger(Object v, Object[] a, Map<String, Object> k) {
        Object fallback = arg(a, k, 0, "default", 0);
        int base = toInt(arg(a, k, 1, "base", 10));
        if (v instanceof Boolean b) return b ? 1 : 0;
        if (v instanceof Number n) return Plain.of(n.longValue());
        String s = str(v).strip().replace("_", "");
        try {
            if (base != 10) {
                String digits = s.toLowerCase();
                if ((base == 16 && digits.startsWith("0x")) || (base == 8 && digits.startsWith("0o")) || (base == 2 && digits.startsWith("0b"))) {
                    digits = digits.substring(2);
                }
                return Plain.of(Long.parseLong(digits, base));
            }
            return Plain.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            try {
                return Plain.of((long) Double.parseDouble(s));
            } catch (NumberFormatException e2) {
                return fallback;
            }
        }
    }

    static double toDouble(Object v) {
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(str(v).strip());
        } catch (NumberFormatException e) {
            throw fail("expected a number, got " + typeName(v) + " '" + str(v) + "'");
        }
    }
}
