package dev.moat.yaml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML the way Ansible does (PyYAML, YAML 1.1): plain {@code yes/no/on/off} are booleans,
 * {@code 0644} is octal, quoted scalars stay strings. Anchors and aliases are replayed and
 * {@code <<} merge keys merged, explicit keys overriding merged ones ({@code {<<: *d, y: 3}} is
 * the usual override, not a duplicate); a key written twice in one mapping is an error naming both
 * places. Every node keeps its file:line:column.
 *
 * <p>We compose with SnakeYAML (the parser under jackson-dataformat-yaml) rather than Jackson's
 * streaming API because its node graph keeps exact marks and scalar styles, which the errors and
 * the quoted/plain distinction need.
 */
public final class YamlLoader {
    private static final int MAX_DEPTH = 200;
    /** PyYAML's YAML 1.1 float: a dot is required and an exponent needs its sign ({@code 1e20} stays a string). */
    private static final java.util.regex.Pattern PY_FLOAT = java.util.regex.Pattern.compile(
            "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
                    + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

    private YamlLoader() {}

    /** Loads {@code file}; an empty file loads as null. */
    public static Node load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new YamlException(new Mark(file, 0, 0), "no such file");
        } catch (IOException e) {
            throw new YamlException(new Mark(file, 0, 0), "cannot read: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** Parses {@code text}, naming {@code file} in marks and errors. */
    public static Node parse(String text, Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // we check ourselves, merge keys aside
        options.setMaxAliasesForCollections(10_000);
        options.setCodePointLimit(64 * 1024 * 1024);
        Yaml yaml = new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(
                new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), options);
        org.yaml.snakeyaml.nodes.Node root;
        try {
            List<org.yaml.snakeyaml.nodes.Node> docs = new ArrayList<>();
            for (org.yaml.snakeyaml.nodes.Node d : yaml.composeAll(new StringReader(text))) docs.add(d);
            if (docs.size() > 1) {
                throw new YamlException(mark(file, docs.get(1).getStartMark()), "more than one YAML document in this file");
            }
            root = docs.isEmpty() ? null : docs.get(0);
        } catch (MarkedYAMLException e) {
            org.yaml.snakeyaml.error.Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            throw new YamlException(mark(file, m), "YAML syntax error: " + problem + context);
        } catch (YAMLException e) {
            throw new YamlException(new Mark(file, 1, 1), "YAML error: " + e.getMessage());
        }
        if (root == null) return null;
        return new Converter(file).convert(root, 0);
    }

    static Mark mark(Path file, org.yaml.snakeyaml.error.Mark m) {
        if (m == null) return new Mark(file, 0, 0);
        return new Mark(file, m.getLine() + 1, m.getColumn() + 1);
    }

    /** Turns SnakeYAML's node graph into ours, merging {@code <<} and checking duplicate keys. */
    private static final class Converter extends SafeConstructor {
        private final Path file;
        private final Map<org.yaml.snakeyaml.nodes.Node, Node> done = new IdentityHashMap<>();

        Converter(Path file) {
            super(new LoaderOptions());
            this.file = file;
        }

        Node convert(org.yaml.snakeyaml.nodes.Node n, int depth) {
            if (depth > MAX_DEPTH) throw new YamlException(mark(file, n.getStartMark()), "nesting too deep (a recursive alias?)");
            Node cached = done.get(n);
            if (cached != null) return cached;
            Node out;
            if (n instanceof MappingNode m) {
                out = mapping(m, depth);
            } else if (n instanceof SequenceNode s) {
                List<Node> items = new ArrayList<>();
                for (org.yaml.snakeyaml.nodes.Node c : s.getValue()) items.add(convert(c, depth + 1));
                out = new ListNode(mark(file, s.getStartMark()), items);
            } else {
                out = scalar((org.yaml.snakeyaml.nodes.ScalarNode) n);
            }
            done.put(n, out);
            return out;
        }

        private ScalarNode scalar(org.yaml.snakeyaml.nodes.ScalarNode s) {
            Mark at = mark(file, s.getStartMark());
            boolean quoted = s.getScalarStyle() != org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
            Tag tag = s.getTag();
            Object value;
            if (quoted || tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP) || tag.equals(Tag.BINARY)) {
                value = s.getValue();
            } else if (tag.equals(Tag.NULL)) {
                value = null;
            } else if (tag.equals(Tag.FLOAT) && !PY_FLOAT.matcher(s.getValue()).matches()) {
                value = s.getValue(); // SnakeYAML reads 1e20 as a float, PyYAML (Ansible) as a string
            } else if (tag.equals(Tag.BOOL) || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
                try {
                    value = constructObject(s);
                } catch (RuntimeException e) {
                    value = s.getValue();
                }
                if (value instanceof java.math.BigInteger) value = s.getValue();
            } else {
                value = s.getValue();
            }
            return new ScalarNode(at, value, quoted);
        }

        private MapNode mapping(MappingNode m, int depth) {
            Map<String, Node> explicit = new LinkedHashMap<>();
            Map<String, Mark> keyMarks = new LinkedHashMap<>();
            Map<String, Node> merged = new LinkedHashMap<>();
            Map<String, Mark> mergedMarks = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                org.yaml.snakeyaml.nodes.Node k = t.getKeyNode();
                Mark km = mark(file, k.getStartMark());
                if (k.getTag().equals(Tag.MERGE) || (k instanceof org.yaml.snakeyaml.nodes.ScalarNode ks
                        && "<<".equals(ks.getValue()) && ks.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN)) {
                    mergeInto(merged, mergedMarks, t.getValueNode(), depth);
                    continue;
                }
                if (!(k instanceof org.yaml.snakeyaml.nodes.ScalarNode)) {
                    throw new YamlException(km, "a mapping key must be a plain value, not a list or mapping");
                }
                Node keyNode = scalar((org.yaml.snakeyaml.nodes.ScalarNode) k);
                String key = ((ScalarNode) keyNode).value() == null ? "null" : ((ScalarNode) keyNode).text();
                if (explicit.containsKey(key)) {
                    throw new YamlException(km, "duplicate key '" + key + "' (first at line " + keyMarks.get(key).line()
                            + ", column " + keyMarks.get(key).column() + ")");
                }
                explicit.put(key, convert(t.getValueNode(), depth + 1));
                keyMarks.put(key, km);
            }
            Map<String, Node> entries = new LinkedHashMap<>();
            Map<String, Mark> marks = new LinkedHashMap<>();
            merged.forEach((k, v) -> {
                if (!explicit.containsKey(k)) {
                    entries.put(k, v);
                    marks.put(k, mergedMarks.get(k));
                }
            });
            explicit.forEach((k, v) -> {
                entries.put(k, v);
                marks.put(k, keyMarks.get(k));
            });
            return new MapNode(mark(file, m.getStartMark()), entries, marks);
        }

        /** {@code <<: *a} or {@code <<: [*a, *b]}: earlier sources win, as YAML's merge spec says. */
        private void mergeInto(Map<String, Node> merged, Map<String, Mark> marks, org.yaml.snakeyaml.nodes.Node v, int depth) {
            List<org.yaml.snakeyaml.nodes.Node> sources = new ArrayList<>();
            if (v instanceof SequenceNode s) sources.addAll(s.getValue());
            else sources.add(v);
            for (org.yaml.snakeyaml.nodes.Node src : sources) {
                Node c = convert(src, depth + 1);
                if (!(c instanceof MapNode mn)) {
                    throw new YamlException(mark(file, src.getStartMark()), "'<<' merges mappings only");
                }
                mn.entries().forEach((k, val) -> {
                    if (!merged.containsKey(k)) {
                        merged.put(k, val);
                        marks.put(k, mn.keyMark(k));
                    }
                });
            }
        }
    }
}
