package dev.moat.repl;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.module.Spec;
import dev.moat.playbook.KeyValue;
import dev.moat.playbook.ModuleCatalog;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Node;
import dev.moat.yaml.YamlException;
import dev.moat.yaml.YamlLoader;

/**
 * Reads a shell line into a {@link Line}. Module arguments come as Ansible's inline
 * {@code key=value} pairs (quotes allowed: {@code content="hi there"}) or as one YAML flow mapping
 * ({@code {rule: allow, port: 443}}, typed as YAML types it). A free-form module keeps its text as
 * written unless every word is one of its arguments as {@code key=value}. Unknown modules and
 * argument names are left to the playbook loader, which names the closest valid one.
 */
public final class LineParser {
    private static final Path INPUT = Path.of("<input>");

    private final ModuleCatalog catalog;

    public LineParser(ModuleCatalog catalog) {
        this.catalog = catalog;
    }

    /** @throws BadInput when the line cannot be read (an unclosed quote, a YAML error, a word that is not key=value) */
    public Line parse(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.startsWith("#")) return new Line.Empty();
        if (s.startsWith("!")) {
            String cmd = s.substring(1).strip();
            if (cmd.isEmpty()) throw new BadInput("'!' needs a command: !df -h");
            return new Line.Bang(cmd);
        }
        if (s.startsWith(":")) {
            String rest = s.substring(1).strip();
            int sp = indexOfSpace(rest);
            String name = sp < 0 ? rest : rest.substring(0, sp);
            if (name.isEmpty()) throw new BadInput("':' needs a command; :help lists them");
            return new Line.Colon(name, sp < 0 ? "" : rest.substring(sp).strip());
        }
        int sp = indexOfSpace(s);
        String module = sp < 0 ? s : s.substring(0, sp);
        String rest = sp < 0 ? "" : s.substring(sp).strip();
        int restAt = sp < 0 ? s.length() : s.indexOf(rest, sp);
        Spec spec = catalog.spec(shortName(module)).orElse(null);
        if (spec == null) return new Line.ModuleCall(module, rest);
        if (rest.startsWith("{")) return new Line.ModuleCall(module, flow(rest, restAt + leading(text)));
        if (rest.isEmpty()) return new Line.ModuleCall(module, new LinkedHashMap<String, Object>());
        List<KeyValue.Token> tokens;
        try {
            tokens = KeyValue.split(rest);
        } catch (IllegalArgumentException e) {
            throw new BadInput(module + ": cannot read the arguments: " + e.getMessage());
        }
        Map<String, Object> args = new LinkedHashMap<>();
        for (KeyValue.Token t : tokens) {
            boolean arg = t.isPair() && spec.find(t.key()).isPresent();
            if (!arg && spec.freeForm() != null) return new Line.ModuleCall(module, rest);
            if (!t.isPair()) {
                throw new BadInput(module + ": '" + t.raw() + "' is not key=value (or write the arguments as {key: value, ...})");
            }
            if (args.put(t.key(), escapes(t.value())) != null) throw new BadInput(module + ": argument '" + t.key() + "' is given twice");
        }
        return new Line.ModuleCall(module, args);
    }

    /** Ansible's parse_kv decodes escapes in values: {@code content="a\nb"} holds a newline. */
    static String escapes(String v) {
        if (v.indexOf('\\') < 0) return v;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(i + 1);
                String r = n == 'n' ? "\n" : n == 't' ? "\t" : n == 'r' ? "\r" : n == '\\' ? "\\" : null;
                if (r != null) {
                    out.append(r);
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** {@code ansible.builtin.copy} is {@code copy}, as in playbooks. */
    static String shortName(String module) {
        for (String p : List.of("ansible.builtin.", "ansible.legacy.", "community.general.")) {
            if (module.startsWith(p)) return module.substring(p.length());
        }
        return module;
    }

    private static Map<String, Object> flow(String text, int column) {
        Node n;
        try {
            n = YamlLoader.parse(text, INPUT);
        } catch (YamlException e) {
            String msg = e.getMessage();
            String prefix = e.mark() + ": ";
            if (msg.startsWith(prefix)) msg = msg.substring(prefix.length());
            int col = e.mark().line() <= 1 ? column + e.mark().column() : e.mark().column();
            throw new BadInput(msg + " (column " + col + ")");
        }
        if (!(n instanceof MapNode m)) throw new BadInput("the arguments are not a mapping: write {key: value, ...}");
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) m.toPlain();
        return plain;
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
        return -1;
    }

    private static int leading(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }
}
