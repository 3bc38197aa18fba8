package dev.moat.compose;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A compose file read for its structure only: SnakeYAML's node graph (which keeps every node's exact
 * place in the text, and resolves an alias to the very node of its anchor), the services it defines
 * and the port entries each publishes. Nothing is ever serialized back: edits are made on the
 * original text at the places these nodes give.
 *
 * <p>A service gets its {@code ports} from its own key, else from {@code <<} merge keys (first
 * wins, as in YAML), and also from services it {@code extends} in the same file (Compose appends
 * the parent's ports). The legacy version-1 format (services at the top level, no {@code services:}
 * key) is read too.
 */
public final class ComposeDocument {
    private final String path;
    private final String text;
    private final Node root;
    private final int[] charIndex;
    private final List<String> services = new ArrayList<>();
    private final List<PortEntry> entries = new ArrayList<>();
    private String name;

    private ComposeDocument(String path, String text, Node root) {
        this.path = path;
        this.text = text;
        this.root = root;
        this.charIndex = text.codePointCount(0, text.length()) == text.length() ? null : codePointIndex(text);
    }

    public static ComposeDocument parse(String path, String text) throws PortSyntaxException {
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(1000);
        opts.setCodePointLimit(Math.max(3 * 1024 * 1024, text.length() * 2));
        opts.setProcessComments(false);
        Node root;
        try {
            root = new Yaml(opts).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = m == null ? path : path + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
            throw new PortSyntaxException(where + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new PortSyntaxException(path + ": not valid YAML: " + e.getMessage());
        }
        ComposeDocument d = new ComposeDocument(path, text, root);
        d.read();
        return d;
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** The services the file defines, in file order. */
    public List<String> services() {
        return List.copyOf(services);
    }

    /** The top-level {@code name:} (the project name Compose v2 uses), or null. */
    public String name() {
        return name;
    }

    /** Every port entry once, in file order. */
    public List<PortEntry> entries() {
        return List.copyOf(entries);
    }

    /** The char offset in {@link #text()} of a SnakeYAML mark (which counts code points). */
    public int index(Mark m) {
        int i = m.getIndex();
        return charIndex == null ? i : charIndex[Math.min(i, charIndex.length - 1)];
    }

    /** Where the node's own text starts, after any anchor ({@code &a}) or tag ({@code !!str}) before it. */
    public int contentStart(Node n) {
        int i = index(n.getStartMark());
        while (i < text.length() && (text.charAt(i) == '&' || text.charAt(i) == '!')) {
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) i++;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') i++;
                else if (c == '#') {
                    while (i < text.length() && text.charAt(i) != '\n') i++;
                } else break;
            }
        }
        return i;
    }

    public int end(Node n) {
        return index(n.getEndMark());
    }

    private void read() {
        if (!(root instanceof MappingNode top)) return;
        Node svcs = value(top, "services");
        name = scalar(value(top, "name"));
        Map<String, MappingNode> defs = new LinkedHashMap<>();
        if (svcs instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                String key = scalar(t.getKeyNode());
                if (key != null && t.getValueNode() instanceof MappingNode s) defs.put(key, s);
            }
        } else if (svcs == null && value(top, "version") == null) {
            for (NodeTuple t : top.getValue()) {
                String key = scalar(t.getKeyNode());
                if (key == null || key.startsWith("x-") || key.equals("name")) continue;
                if (t.getValueNode() instanceof MappingNode s && (value(s, "image") != null || value(s, "build") != null)) {
                    defs.put(key, s);
                }
            }
        }
        services.addAll(defs.keySet());
        Map<Node, Set<String>> byEntry = new IdentityHashMap<>();
        List<Node> order = new ArrayList<>();
        for (String svc : defs.keySet()) {
            for (String owner : lineage(svc, defs)) {
                Node ports = resolve(defs.get(owner), "ports", new IdentityHashMap<>());
                if (!(ports instanceof SequenceNode seq)) continue;
                for (Node item : seq.getValue()) {
                    Set<String> s = byEntry.get(item);
                    if (s == null) {
                        s = new LinkedHashSet<>();
                        byEntry.put(item, s);
                        order.add(item);
                    }
                    s.add(svc);
                }
            }
        }
        order.sort(Comparator.comparingInt(n -> n.getStartMark().getIndex()));
        for (Node n : order) entries.add(new PortEntry(n, new ArrayList<>(byEntry.get(n))));
    }

    /** The service and the services it extends within this file, nearest first (cycles cut). */
    private List<String> lineage(String svc, Map<String, MappingNode> defs) {
        List<String> out = new ArrayList<>();
        String cur = svc;
        while (cur != null && defs.containsKey(cur) && !out.contains(cur)) {
            out.add(cur);
            Node ext = resolve(defs.get(cur), "extends", new IdentityHashMap<>());
            String next = null;
            if (ext instanceof ScalarNode) next = scalar(ext);
            else if (ext instanceof MappingNode em && value(em, "file") == null) next = scalar(value(em, "service"));
            cur = next;
        }
        return out;
    }

    /** The value of {@code key} in {@code m}, looking through {@code <<} merge keys as YAML does. */
    static Node resolve(MappingNode m, String key, Map<Node, Boolean> seen) {
        if (seen.put(m, Boolean.TRUE) != null) return null;
        Node own = value(m, key);
        if (own != null) return own;
        for (NodeTuple t : m.getValue()) {
            if (!"<<".equals(scalar(t.getKeyNode()))) continue;
            Node v = t.getValueNode();
            List<Node> sources = v instanceof SequenceNode s ? s.getValue() : List.of(v);
            for (Node src : sources) {
                if (src instanceof MappingNode sm) {
                    Node found = resolve(sm, key, seen);
                    if (found != null) return found;
                }
            }
        }
        return null;
    }

    /** The value of the last direct {@code key} in {@code m}, or null. */
    static Node value(MappingNode m, String key) {
        Node out = null;
        for (NodeTuple t : m.getValue()) if (key.equals(scalar(t.getKeyNode()))) out = t.getValueNode();
        return out;
    }

    /** The direct key/value pair for {@code key}, or null. */
    static NodeTuple tuple(MappingNode m, String key) {
        NodeTuple out = null;
        for (NodeTuple t : m.getValue()) if (key.equals(scalar(t.getKeyNode()))) out = t;
        return out;
    }

    static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    private static int[] codePointIndex(String text) {
        int n = text.codePointCount(0, text.length());
        int[] out = new int[n + 1];
        int ci = 0;
        for (int cp = 0; cp < n; cp++) {
            out[cp] = ci;
            ci += Character.charCount(text.codePointAt(ci));
        }
        out[n] = ci;
        return out;
    }
}
