package dev.moat.template.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import com.hubspot.jinjava.el.ext.NamedParameter;

import dev.moat.template.TemplateException;

/**
 * Jinja's and Ansible's global functions as variables: {@code lipsum is defined} is true, as in
 * Ansible, for every global moat can call ({@code range}, {@code dict}, {@code lipsum},
 * {@code namespace}, {@code lookup}, {@code query}, {@code q}, {@code cycler}, {@code joiner}, {@code now}). Also the two globals Jinjava lacks:
 * {@code dict(...)} and {@code lipsum(...)}.
 */
public final class Globals {
    private Globals() {}

    private static final Set<String> NAMES = Set.of("range", "dict", "lipsum", "namespace", "lookup", "query", "q", "cycler", "joiner", "now");

    /** A global function seen as a variable; printed as Python prints a function. */
    public record Function(String name) {
        @Override
        public String toString() {
            return "<function " + name + ">";
        }
    }

    /** The global function named {@code name}, or null if there is none. */
    public static Function named(String name) {
        return NAMES.contains(name) ? new Function(name) : null;
    }

    /** Python's {@code dict(mapping_or_pairs, **kwargs)}. */
    public static Map<Object, Object> dict(Object... args) {
        Map<Object, Object> out = new LinkedHashMap<>();
        List<Object> positional = new ArrayList<>();
        Map<Object, Object> named = new LinkedHashMap<>();
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof NamedParameter p) named.put(p.getName(), Undefined.require(p.getValue()));
            else positional.add(Undefined.require(a));
        }
        if (positional.size() > 1) throw fail("dict expected at most 1 argument, got " + positional.size());
        if (!positional.isEmpty()) {
            Object from = positional.get(0);
            if (from instanceof Map<?, ?> m) {
                out.putAll(m);
            } else if (from instanceof Iterable<?> pairs && !(from instanceof CharSequence)) {
                int i = 0;
                for (Object pair : pairs) {
                    List<Object> kv = new ArrayList<>();
                    if (pair instanceof Map.Entry<?, ?> e) {
                        kv.add(e.getKey());
                        kv.add(e.getValue());
                    } else if (pair instanceof Iterable<?> it && !(pair instanceof CharSequence)) {
                        it.forEach(kv::add);
                    } else if (pair instanceof CharSequence s) {
                        s.codePoints().forEach(c -> kv.add(new String(Character.toChars(c))));
                    } else {
                        throw fail("cannot convert dictionary update sequence element #" + i + " to a sequence");
                    }
                    if (kv.size() != 2) {
                        throw fail("dictionary update sequence element #" + i + " has length " + kv.size() + "; 2 is required");
                    }
                    out.put(kv.get(0), kv.get(1));
                    i++;
                }
            } else {
                throw fail("'" + TextFilters.pythonType(from) + "' object is not iterable");
            }
        }
        out.putAll(named);
        return out;
    }

    private static final String[] WORDS = "a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at auctor augue bibendum blandit class commodo condimentum congue consectetuer consequat conubia convallis cras cubilia cum curabitur curae cursus dapibus diam dictum dictumst dignissim dis dolor donec dui duis egestas eget eleifend elementum elit enim erat eros est et etiam eu euismod facilisi facilisis fames faucibus felis fermentum feugiat fringilla fusce gravida habitant habitasse hac hendrerit hymenaeos iaculis id imperdiet in inceptos integer interdum ipsum justo lacinia lacus laoreet lectus leo libero ligula litora lobortis lorem luctus maecenas magna magnis malesuada massa mattis mauris metus mi molestie mollis montes morbi mus nam nascetur natoque nec neque netus nibh nisi nisl non nonummy nostra nulla nullam nunc odio orci ornare parturient pede pellentesque penatibus per pharetra phasellus placerat platea porta porttitor posuere potenti praesent pretium primis proin pulvinar purus quam quis quisque rhoncus ridiculus risus rutrum sagittis sapien scelerisque sed sem semper senectus sit sociis sociosqu sodales sollicitudin suscipit suspendisse taciti tellus tempor tempus tincidunt torquent tortor tristique turpis ullamcorper ultrices ultricies urna ut varius vehicula vel velit venenatis vestibulum vitae vivamus viverra volutpat vulputate".split(" ");

    /** Jinja's {@code lipsum(n=5, html=True, min=20, max=100)}: random lorem ipsum paragraphs. */
    public static String lipsum(Object... args) {
        List<Object> positional = new ArrayList<>();
        Map<String, Object> named = new LinkedHashMap<>();
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof NamedParameter p) named.put(p.getName(), Undefined.require(p.getValue()));
            else positional.add(Undefined.require(a));
        }
        int n = intArg(positional, named, 0, "n", 5);
        boolean html = dev.moat.template.Templar.truthy(positional.size() > 1 ? positional.get(1) : named.getOrDefault("html", true));
        int min = intArg(positional, named, 2, "min", 20);
        int max = intArg(positional, named, 3, "max", 100);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<String> paragraphs = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            boolean capital = true;
            int lastComma = 0;
            int lastStop = 0;
            String last = null;
            List<String> p = new ArrayList<>();
            int count = r.nextInt(min, max);
            for (int idx = 0; idx < count; idx++) {
                String word;
                do {
                    word = WORDS[r.nextInt(WORDS.length)];
                } while (word.equals(last));
                last = word;
                if (capital) {
                    word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                    capital = false;
                }
                if (idx - r.nextInt(3, 8) > lastComma) {
                    lastComma = idx;
                    lastStop += 2;
                    word += ",";
                }
                if (idx - r.nextInt(10, 20) > lastStop) {
                    lastComma = idx;
                    lastStop = idx;
                    word += ".";
                    capital = true;
                }
                p.add(word);
            }
            String text = String.join(" ", p);
            if (text.endsWith(",")) text = text.substring(0, text.length() - 1) + ".";
            else if (!text.endsWith(".")) text += ".";
            paragraphs.add(text);
        }
        if (!html) return String.join("\n\n", paragraphs);
        StringBuilder out = new StringBuilder();
        for (String p : paragraphs) out.append(out.length() == 0 ? "" : "\n").append("<p>").append(p).append("</p>");
        return out.toString();
    }

    private static int intArg(List<Object> positional, Map<String, Object> named, int i, String name, int dflt) {
        Object v = positional.size() > i ? positional.get(i) : named.getOrDefault(name, dflt);
        if (v instanceof Number num) return num.intValue();
        throw fail("lipsum: " + name + " must be an integer, got " + PyRepr.repr(v));
    }

    private static TemplateException fail(String message) {
        return Frame.fail(new TemplateException(message));
    }
}
