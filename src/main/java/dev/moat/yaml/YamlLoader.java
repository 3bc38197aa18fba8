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

import dev.moat.vault.Vault;
import dev.moat.vault.VaultException;
import dev.moat.vault.VaultText;

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
 *
 * <p>Ansible Vault is read here, so every file moat loads decrypts alike (vars files, {@code -e @file},
 * group_vars/host_vars, inventories, playbooks): a file encrypted whole with {@code ansible-vault
 * encrypt}, and inline {@code !vault |} values, with the passwords of {@link Vault#current()}.
 */
public final class YamlLoader {
    private static final int MAX_DEPTH = 200;
    /** The most values a document may expand to once aliases are replayed (an alias bomb stops here). */
    static final long MAX_VALUES = 1_000_000;
    /** The largest YAML file read: inventories, playbooks and vars files are far smaller. */
    static final long MAX_BYTES = 8L * 1024 * 1024;
    /** PyYAML's YAML 1.1 float: a dot is required and an exponent needs its sign ({@code 1e20} stays a string). */
    private static final java.util.regex.Pattern PY_FLOAT = java.util.regex.Pattern.compile(
            "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
                    + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

    private YamlLoader() {}

    /**
     * Loads {@code file}; an empty file, or one whose only document is empty or null, loads as null. Only a regular file of at most 8 MiB is read
     * (a device such as /dev/zero, or a huge file, is refused at once), as UTF-8, or as UTF-16 when
     * it starts with a byte order mark; a byte that is not UTF-8 is an error naming its offset.
     */
    public static Node load(Path file) {
        String text = read(file);
        if (VaultText.isEncrypted(text)) return decrypted(text, file);
        return parse(text, file);
    }

    /**
     * A whole file encrypted with {@code ansible-vault}: decrypted with {@link Vault#current()} and
     * parsed; each of its string values is a secret from then on. A YAML error inside names the
     * place but not the text around it, which is secret.
     */
    private static Node decrypted(String envelope, Path file) {
        Mark top = new Mark(file, 1, 1);
        String plain;
        try {
            plain = Vault.current().decrypt(envelope);
        } catch (VaultException e) {
            throw new YamlException(top, "cannot decrypt this Ansible Vault file: " + e.getMessage());
        }
        Node n;
        try {
            n = parse(plain, file);
        } catch (YamlException e) {
            throw new YamlException(e.mark(), "invalid YAML in the decrypted Ansible Vault content (details hidden;"
                    + " see them with ansible-vault view " + file + ")");
        }
        reveal(n, Vault.current());
        return n;
    }

    private static void reveal(Node n, Vault vault) {
        if (n instanceof MapNode m) {
            for (Node c : m.entries().values()) reveal(c, vault);
        } else if (n instanceof ListNode l) {
            for (Node c : l.items()) reveal(c, vault);
        } else if (n instanceof ScalarNode s && s.value() instanceof String str) {
            vault.reveal(str);
        } else if (n instanceof ScalarNode s && s.value() instanceof Unsafe u) {
            vault.reveal(u.text());
        }
    }

    /** A text file's content as {@link #load} reads it (regular file, at most 8 MiB, UTF-8 or BOM-marked UTF-16), errors naming the file. */
    public static String read(Path file) {
        byte[] bytes;
        try {
            if (!Files.exists(file)) throw new YamlException(new Mark(file, 0, 0), "no such file");
            if (!Files.isRegularFile(file)) throw new YamlException(new Mark(file, 0, 0), "not a regular file");
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new YamlException(new Mark(file, 0, 0), "too large to be YAML moat reads (" + size + " bytes; the limit is 8 MiB)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new YamlException(new Mark(file, 0, 0), "no such file");
        } catch (IOException e) {
            throw new YamlException(new Mark(file, 0, 0), "cannot read: " + e.getMessage());
        }
        return decode(bytes, file);
    }

    /** UTF-8 (a leading BOM dropped), or UTF-16 after its BOM, as YAML allows; anything else names the bad byte. */
    static String decode(byte[] b, Path file) {
        java.nio.charset.Charset cs = StandardCharsets.UTF_8;
        int skip = 0;
        if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
            cs = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
            cs = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            skip = 3;
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b, skip, b.length - skip);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(b.length);
        java.nio.charset.CharsetDecoder d = cs.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.charset.CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int at = in.position(), line = 1, column = 1;
            for (int i = skip; i < at; i++) {
                if (b[i] == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            throw new YamlException(new Mark(file, line, column), "not valid " + (cs == StandardCharsets.UTF_8 ? "UTF-8" : cs.name())
                    + " text: bad byte at offset " + in.position() + " (save the file as UTF-8)");
        }
        d.flush(out);
        out.flip();
        return out.toString();
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
        Node out = new Converter(file).convert(root, 0);
        // A document that is only '---' and comments (as ansible-galaxy init writes) holds a null
        // scalar: PyYAML loads it as None, which Ansible takes as an empty file.
        if (out instanceof ScalarNode s && s.value() == null) return null;
        expanded(out, new IdentityHashMap<>());
        return out;
    }

    /**
     * How many values {@code n} expands to with every alias replayed, each shared node counted once
     * per use but computed once; refused past {@link #MAX_VALUES} at the first node that gets there,
     * so nine nested lists of nine aliases fail in milliseconds instead of exhausting memory.
     */
    private static long expanded(Node n, Map<Node, Long> memo) {
        if (n == null) return 1;
        Long known = memo.get(n);
        if (known != null) return known;
        long size = 1;
        if (n instanceof MapNode m) {
            for (Node c : m.entries().values()) size += expanded(c, memo);
        } else if (n instanceof ListNode l) {
            for (Node c : l.items()) size += expanded(c, memo);
        }
        if (size > MAX_VALUES) {
            throw new YamlException(n.mark(), "aliases here expand to more than " + MAX_VALUES
                    + " values (an alias bomb?); moat refuses the file");
        }
        memo.put(n, size);
        return size;
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
            if (tag.getValue().equals("!unsafe")) {
                return new ScalarNode(at, new Unsafe(s.getValue()), true);
            } else if (tag.getValue().equals("!vault") || tag.getValue().equals("!vault-encrypted")) {
                return new ScalarNode(at, vaulted(at, tag.getValue(), s.getValue()), true);
            } else if (tag.getValue().startsWith("!")) {
                throw new YamlException(at, "unknown YAML tag '" + tag.getValue() + "' (Ansible knows !unsafe and !vault)");
            } else if (quoted || tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP) || tag.equals(Tag.BINARY)) {
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
            return new ScalarNode(at, value, quoted, s.getValue());
        }

        /** An inline {@code !vault} value, decrypted: a string, and a secret of the run. */
        private static String vaulted(Mark at, String tag, String envelope) {
            try {
                String plain = Vault.current().decrypt(envelope);
                Vault.current().reveal(plain);
                return plain;
            } catch (VaultException e) {
                throw new YamlException(at, "cannot decrypt this Ansible Vault value (" + tag + "): " + e.getMessage());
            }
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
