package dev.moat.playbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.moat.MoatException;
import dev.moat.yaml.MapNode;
import dev.moat.yaml.Node;
import dev.moat.yaml.YamlException;
import dev.moat.yaml.YamlLoader;

/**
 * The {@code -e} options, read as Ansible reads them: {@code -e k=v} (values are strings;
 * {@code -e 'a=1 b="two words"'} sets two), {@code -e @vars.yml} (a YAML or JSON file of
 * variables) and {@code -e '{"ports": [8000]}'} (inline JSON or YAML). Later options override
 * earlier ones. A malformed option is a usage error (exit 64) naming it; a malformed file is an
 * invalid-file error (exit 65) naming file:line:column.
 */
public final class ExtraVars {
    private ExtraVars() {}

    public static Map<String, Object> parse(List<String> options) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String opt : options) out.putAll(one(opt));
        return out;
    }

    private static Map<String, Object> one(String opt) {
        String s = opt == null ? "" : opt.strip();
        if (s.isEmpty()) throw MoatException.usage("-e '': empty; expected key=value, @file or a JSON object");
        if (s.startsWith("@")) return file(opt, s.substring(1));
        if (s.startsWith("{") || s.startsWith("[")) return inline(opt, s);
        Map<String, Object> out = new LinkedHashMap<>();
        List<KeyValue.Token> tokens;
        try {
            tokens = KeyValue.split(s);
        } catch (IllegalArgumentException e) {
            throw MoatException.usage("-e '" + opt + "': " + e.getMessage());
        }
        for (KeyValue.Token t : tokens) {
            if (!t.isPair()) {
                throw MoatException.usage("-e '" + opt + "': '" + t.raw() + "' is not key=value"
                        + " (use -e key=value, -e @file.yml or -e '{\"key\": ...}')");
            }
            out.put(t.key(), t.value());
        }
        return out;
    }

    private static Map<String, Object> file(String opt, String name) {
        if (name.isBlank()) throw MoatException.usage("-e '" + opt + "': expected a file name after '@'");
        Path p = Path.of(name);
        if (!Files.exists(p)) throw MoatException.usage("-e '" + opt + "': no such file " + p.toAbsolutePath());
        if (!Files.isRegularFile(p)) throw MoatException.usage("-e '" + opt + "': " + p + " is not a regular file");
        Node root = YamlLoader.load(p);
        if (root == null) return Map.of();
        return mapping(opt, root);
    }

    private static Map<String, Object> inline(String opt, String text) {
        Node root;
        try {
            root = YamlLoader.parse(text, Path.of("-e"));
        } catch (YamlException e) {
            throw MoatException.usage("-e '" + opt + "': not valid JSON: " + e.getMessage().replaceFirst("^-e:\\d+:\\d+: ", ""));
        }
        if (root == null) return Map.of();
        return mapping(opt, root);
    }

    private static Map<String, Object> mapping(String opt, Node root) {
        if (!(root instanceof MapNode m)) {
            throw MoatException.usage("-e '" + opt + "': expected a mapping of variables, not " + Nodes.kind(root));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.entries().forEach((k, v) -> {
            if (!Nodes.IDENTIFIER.matcher(k).matches()) {
                throw MoatException.usage("-e '" + opt + "': '" + k + "' is not a valid variable name");
            }
            out.put(k, v == null ? null : v.toPlain());
        });
        return out;
    }
}
