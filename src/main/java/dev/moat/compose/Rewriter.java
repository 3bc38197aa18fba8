package dev.moat.compose;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The heart of compose_ports, pure: decides for every port entry of a file whether it stays, and
 * if not, the exact text that replaces it. Every char outside a changed entry is kept.
 *
 * <p>Decisions, per entry in scope of the {@link PortFilter}:
 * <ul>
 *   <li>published on loopback (127.0.0.0/8, ::1) or on the bind address already: kept;</li>
 *   <li>short syntax {@code [IP:][HOST:]CONTAINER[/proto]} with another or no address: becomes
 *       {@code BIND:HOST:CONTAINER[/proto]}, the host and container parts kept as written (so
 *       {@code ${PORT:-8000}} stays a variable); an IPv6 bind is bracketed;</li>
 *   <li>a bare container port {@code "8000"} or {@code - 8000} (Docker picks a random host port on
 *       every interface) becomes {@code BIND::8000}: Docker still picks the host port, only the
 *       exposure goes; this keeps whatever found the port through {@code docker port} working;</li>
 *   <li>long syntax: on Compose v2, {@code host_ip: BIND} is set (its value replaced, or a line added
 *       under the entry's other keys with their indentation); on v1, which rejects {@code host_ip},
 *       the whole mapping becomes the equivalent short string ({@code mode}, {@code name} and
 *       {@code app_protocol} cannot be said there: swarm-only or v2-only, noted in the change).</li>
 * </ul>
 * A rewritten plain (unquoted) scalar is written double-quoted: YAML 1.1 readers (v1 uses PyYAML)
 * read some colon-separated digits as base-60 numbers ({@code 22:22} is 1342), and a colon in a
 * flow list trips older parsers. Quoted scalars keep their quote style. When a variable's value
 * spans several parts ({@code "${PORTS}"} holding {@code 8000:8000}) the parts cannot be kept as
 * written, and the entry becomes its interpolated value with the bind address (noted).
 */
public final class Rewriter {
    private final String bind;
    private final PortFilter filter;
    private final Flavour flavour;

    /** @param bind an IP literal (no brackets), not all-interfaces */
    public Rewriter(String bind, PortFilter filter, Flavour flavour) {
        if (!Ip.isIp(bind) || Ip.isUnspecified(bind)) throw new IllegalArgumentException("bind must be a specific IP address: " + bind);
        this.bind = Ip.strip(bind);
        this.filter = filter;
        this.flavour = flavour;
    }

    /** @throws TooDeepException when an entry's variables nest deeper than moat reads: its port is unknown */
    public FileRewrite rewrite(ComposeDocument doc, Map<String, String> env) throws TooDeepException {
        Interpolation interp = new Interpolation(env);
        List<Edit> edits = new ArrayList<>();
        List<PortChange> changes = new ArrayList<>();
        Set<String> services = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();
        for (PortEntry e : doc.entries()) {
            String where = doc.path() + ":" + e.line();
            try {
                Decision d;
                if (e.node() instanceof ScalarNode s) d = shortEntry(doc, s, interp);
                else if (e.node() instanceof MappingNode m) d = longEntry(doc, m, interp);
                else throw new PortSyntaxException("a port entry must be a string, a number or a mapping");
                if (d == null) continue;
                edits.addAll(d.edits);
                changes.add(new PortChange(e.line(), d.before, d.after, e.services(), d.note));
                services.addAll(e.services());
            } catch (TooDeepException ex) {
                throw ex.at(where);
            } catch (PortSyntaxException ex) {
                warnings.add(where + ": left as is: " + ex.getMessage());
            }
        }
        if (!interp.missing().isEmpty()) {
            warnings.add(doc.path() + ": variables not set in .env, read as empty: " + String.join(", ", interp.missing()));
        }
        String after = Edit.apply(doc.text(), edits);
        return new FileRewrite(doc.path(), doc.text(), after, changes, new ArrayList<>(services), doc.services(), warnings);
    }

    private record Decision(List<Edit> edits, String before, String after, String note) {}

    /** Whether an entry stays as it is. */
    private boolean keep(PortSpec p) {
        if (!filter.matches(p)) return true;
        return p.hostIp() != null && (Ip.isLoopback(p.hostIp()) || Ip.same(p.hostIp(), bind));
    }

    private Decision shortEntry(ComposeDocument doc, ScalarNode s, Interpolation interp) throws PortSyntaxException {
        String raw = s.getValue().trim();
        String eff = interp.apply(raw);
        PortSpec p = PortSpec.parseShort(eff);
        if (keep(p)) return null;
        String note = null;
        String value;
        PortSpec.Parts r = PortSpec.split(raw, true);
        PortSpec.Parts v = PortSpec.split(eff, false);
        if (same(interp, r.ip(), v.ip()) && same(interp, r.host(), v.host()) && same(interp, r.container(), v.container())) {
            value = Ip.forShortSyntax(bind) + ":" + (r.host() == null ? "" : r.host()) + ":" + r.container();
        } else {
            value = new PortSpec(bind, p.host(), p.container(), p.protocol()).toShort();
            note = "a variable spans several parts of '" + raw + "'; written with its value from .env";
        }
        int start = doc.contentStart(s);
        int end = doc.end(s);
        String old = doc.text().substring(start, end);
        String suffix = "";
        if (s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED) {
            int keepFrom = old.length();
            while (keepFrom > 0 && Character.isWhitespace(old.charAt(keepFrom - 1))) keepFrom--;
            suffix = old.substring(keepFrom);
            old = old.substring(0, keepFrom);
        }
        String text = quoted(s.getScalarStyle(), value);
        return new Decision(List.of(new Edit(start, end, text + suffix)), old.strip(), text, note);
    }

    private static boolean same(Interpolation interp, String raw, String eff) throws PortSyntaxException {
        if (raw == null || eff == null) return raw == null && eff == null;
        return interp.apply(raw).equals(eff);
    }

    private Decision longEntry(ComposeDocument doc, MappingNode m, Interpolation interp) throws PortSyntaxException {
        Map<String, Node> vals = PortEntry.values(m);
        String target = PortEntry.text(vals.get("target"));
        String published = PortEntry.text(vals.get("published"));
        String proto = PortEntry.text(vals.get("protocol"));
        PortSpec p = PortEntry.longSpec(vals, interp);
        if (keep(p)) return null;
        String text = doc.text();
        int start = doc.contentStart(m);
        String before = PortEntry.summary(vals);
        if (flavour == Flavour.V1) {
            int end = m.getFlowStyle() == FlowStyle.FLOW ? doc.end(m) : lastEnd(doc, m);
            String value = Ip.forShortSyntax(bind) + ":" + (published == null ? "" : published.trim()) + ":" + target.trim()
                    + (proto == null || proto.isBlank() ? "" : "/" + proto.trim());
            String q = "\"" + escapeDq(value) + "\"";
            List<String> lost = new ArrayList<>();
            for (String k : List.of("mode", "name", "app_protocol")) if (vals.containsKey(k)) lost.add(k);
            String note = "Compose v1 rejects host_ip in the long syntax: written as the short form"
                    + (lost.isEmpty() ? "" : " (" + String.join(", ", lost) + " dropped: not in the short form)");
            return new Decision(List.of(new Edit(start, end, q)), before, q, note);
        }
        NodeTuple own = ComposeDocument.tuple(m, "host_ip");
        if (own != null && doc.index(own.getValueNode().getStartMark()) < doc.end(own.getKeyNode())) {
            // host_ip: *alias — replace the alias here, never the anchored value other entries share.
            int keyEnd = doc.end(own.getKeyNode());
            int aliasEnd = aliasEnd(text, keyEnd);
            int star = text.lastIndexOf('*', aliasEnd);
            String q = bind.contains(":") ? "\"" + bind + "\"" : bind;
            return new Decision(List.of(new Edit(star, aliasEnd, q)), before, "host_ip: " + q, null);
        }
        if (own != null && own.getValueNode() instanceof ScalarNode hv && doc.end(hv) > doc.contentStart(hv)) {
            int hs = doc.contentStart(hv);
            String q = hv.getScalarStyle() == ScalarStyle.PLAIN && !bind.contains(":") ? bind : quoted(hv.getScalarStyle(), bind);
            return new Decision(List.of(new Edit(hs, doc.end(hv), q)), before, "host_ip: " + q, null);
        }
        if (own != null) {
            // "host_ip:" with nothing after it: put the address after the colon.
            int colon = text.indexOf(':', doc.end(own.getKeyNode()));
            String q = bind.contains(":") ? "\"" + bind + "\"" : bind;
            boolean space = colon + 1 < text.length() && text.charAt(colon + 1) == ' ';
            int at = space ? colon + 2 : colon + 1;
            return new Decision(List.of(new Edit(at, at, space ? q : " " + q)), before, "host_ip: " + q, null);
        }
        String q = bind.contains(":") ? "\"" + bind + "\"" : bind;
        int last = lastEnd(doc, m);
        if (m.getFlowStyle() == FlowStyle.FLOW) {
            return new Decision(List.of(new Edit(last, last, ", host_ip: " + q)), before, "host_ip: " + q, null);
        }
        int eol = last;
        while (eol < text.length() && text.charAt(eol) != '\n' && text.charAt(eol) != '\r') eol++;
        String nl = eol < text.length() ? (text.charAt(eol) == '\r' && eol + 1 < text.length() && text.charAt(eol + 1) == '\n' ? "\r\n" : text.substring(eol, eol + 1)) : dominantEol(text);
        int col = m.getValue().get(0).getKeyNode().getStartMark().getColumn();
        String line = nl + " ".repeat(col) + "host_ip: " + q;
        return new Decision(List.of(new Edit(eol, eol, line)), before, "host_ip: " + q, null);
    }

    /** The end of the last key or value of a block mapping (its own end mark runs on to the next token). */
    static int lastEnd(ComposeDocument doc, MappingNode m) {
        return entriesEnd(doc, m);
    }

    /**
     * Where a node's own text ends. Block collections end at their last content (their end mark
     * is the next token's start); a value that is an alias ({@code key: *a}) is the anchored node,
     * placed elsewhere, so the alias's own text after the key is measured instead.
     */
    static int contentEnd(ComposeDocument doc, Node n) {
        if (n instanceof ScalarNode) return doc.end(n);
        if (n instanceof MappingNode m) {
            return m.getFlowStyle() == FlowStyle.FLOW ? doc.end(m) : entriesEnd(doc, m);
        }
        if (n instanceof org.yaml.snakeyaml.nodes.SequenceNode s) {
            if (s.getFlowStyle() == FlowStyle.FLOW) return doc.end(s);
            int end = doc.contentStart(s);
            for (Node item : s.getValue()) if (doc.index(item.getStartMark()) >= end) end = Math.max(end, contentEnd(doc, item));
            return end;
        }
        return doc.end(n);
    }

    /** The end of a mapping's last key or value, whatever its style. */
    private static int entriesEnd(ComposeDocument doc, MappingNode m) {
        int end = doc.contentStart(m);
        for (NodeTuple t : m.getValue()) {
            int keyEnd = doc.end(t.getKeyNode());
            end = Math.max(end, keyEnd);
            Node v = t.getValueNode();
            if (doc.index(v.getStartMark()) < keyEnd) end = Math.max(end, aliasEnd(doc.text(), keyEnd));
            else end = Math.max(end, contentEnd(doc, v));
        }
        return end;
    }

    /** The end of an alias written after a key that ends at {@code from}: past the colon, blanks and {@code *name}. */
    private static int aliasEnd(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ':' || Character.isWhitespace(text.charAt(i)))) i++;
        if (i >= text.length() || text.charAt(i) != '*') return from;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != ',' && text.charAt(i) != '}') i++;
        return i;
    }

    static String quoted(ScalarStyle style, String value) {
        if (style == ScalarStyle.SINGLE_QUOTED) return "'" + value.replace("'", "''") + "'";
        return "\"" + escapeDq(value) + "\"";
    }

    static String escapeDq(String v) {
        StringBuilder b = new StringBuilder();
        for (char c : v.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    private static String dominantEol(String text) {
        int crlf = text.split("\r\n", -1).length - 1;
        int lf = text.split("\n", -1).length - 1;
        return crlf > 0 && crlf * 2 >= lf ? "\r\n" : "\n";
    }
}
