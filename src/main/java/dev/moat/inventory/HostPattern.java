package dev.moat.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.moat.MoatException;

/**
 * An Ansible host pattern, evaluated as Ansible's InventoryManager does: {@code all} or {@code *};
 * group names (all their hosts, children's included); host names; globs ({@code web*},
 * {@code *.example.net}, {@code ?}, {@code [ab]}) over group and host names; regular expressions
 * {@code ~gpu-0[1-3]}; a subscript on a group, {@code gpu[0]}, {@code gpu[-1]}, {@code gpu[0:2]}
 * (inclusive), {@code gpu[1:]}. Terms are separated by commas, or (when there is no comma) by
 * colons: {@code gpu:web} and {@code gpu,web} are unions, {@code gpu:&eu} an intersection,
 * {@code gpu:!gpu-03} an exclusion. Whatever their order, unions are applied first, then
 * intersections, then exclusions; a pattern of only {@code &}/{@code !} terms starts from {@code all}.
 *
 * <p>Where Ansible warns "Could not match supplied host pattern" and goes on, {@link #select}
 * (used for {@code --limit} and commands' own patterns) stops with a usage error (exit 64) naming
 * the term and the closest group or host names: a mistyped exclusion would otherwise include the
 * very host it meant to spare. A play's {@code hosts:} goes through {@link #selectForPlay}, which
 * warns and ignores such a term as Ansible does, exclusions aside. A pattern whose known terms simply
 * select nothing (say {@code gpu:&web} with no common host) is not an error: it selects no hosts.
 * Ansible's implicit {@code localhost} and {@code @file} limits are not supported.
 *
 * @param text the pattern as written
 * @param terms its terms, split as Ansible splits them, in written order
 */
public record HostPattern(String text, List<String> terms) {
    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$");
    private static final Pattern TERM = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");

    public HostPattern {
        Objects.requireNonNull(text, "text");
        terms = List.copyOf(terms);
        if (terms.isEmpty()) throw MoatException.usage("empty host pattern '" + text + "'");
    }

    /** Splits a pattern as Ansible's split_host_pattern does; a blank pattern is a usage error. */
    public static HostPattern parse(String pattern) {
        if (pattern == null || pattern.isBlank()) throw MoatException.usage("empty host pattern");
        List<String> parts = new ArrayList<>();
        if (pattern.contains(",")) {
            parts.addAll(List.of(pattern.split(",", -1)));
        } else if (Address.parse(pattern) != null) {
            parts.add(pattern);
        } else {
            Matcher m = TERM.matcher(pattern);
            while (m.find()) parts.add(m.group());
        }
        List<String> terms = new ArrayList<>();
        for (String p : parts) {
            if (!p.strip().isEmpty()) terms.add(p.strip());
        }
        return new HostPattern(pattern, terms);
    }

    /** The hosts {@code pattern} selects, in Ansible's order. */
    public static List<Host> select(Inventory inv, String pattern) {
        return parse(pattern).select(inv);
    }

    /** The hosts {@code pattern} selects that {@code limit} (a pattern too, as {@code --limit}) also selects; limit may be null. */
    public static List<Host> select(Inventory inv, String pattern, String limit) {
        List<Host> hosts = parse(pattern).select(inv);
        if (limit == null) return hosts;
        Set<String> allowed = new HashSet<>();
        for (Host h : parse(limit).select(inv)) allowed.add(h.name());
        return hosts.stream().filter(h -> allowed.contains(h.name())).toList();
    }

    /**
     * The hosts a play's {@code hosts:} pattern selects, {@code limit} (strict, may be null) applied,
     * as ansible-playbook selects them: a term that matches no host or group is passed to
     * {@code unmatched} (Ansible's "Could not match supplied host pattern, ignoring: x") and
     * ignored, so a play whose pattern matches nothing selects no host and is skipped. An
     * exclusion ({@code !x}) that matches nothing is still a usage error: a typo there would run
     * the play on the very host it meant to spare.
     */
    public static List<Host> selectForPlay(Inventory inv, String pattern, String limit, java.util.function.Consumer<String> unmatched) {
        List<Host> hosts = parse(pattern).select(inv, java.util.Objects.requireNonNull(unmatched));
        if (limit == null) return hosts;
        Set<String> allowed = new HashSet<>();
        for (Host h : parse(limit).select(inv)) allowed.add(h.name());
        return hosts.stream().filter(h -> allowed.contains(h.name())).toList();
    }

    /** Evaluates this pattern against {@code inv}. */
    public List<Host> select(Inventory inv) {
        return select(inv, (java.util.function.Consumer<String>) null);
    }

    private List<Host> select(Inventory inv, java.util.function.Consumer<String> unmatched) {
        List<String> ordered = new ArrayList<>();
        for (String t : terms) if (t.charAt(0) != '&' && t.charAt(0) != '!') ordered.add(t);
        if (ordered.isEmpty()) ordered.add("all");
        for (String t : terms) if (t.charAt(0) == '&') ordered.add(t);
        for (String t : terms) if (t.charAt(0) == '!') ordered.add(t);

        List<Host> hosts = new ArrayList<>();
        for (String p : ordered) {
            if (inv.host(p).isPresent()) {
                hosts.add(inv.host(p).get());
                continue;
            }
            List<Host> that = matchOne(inv, p, unmatched);
            Set<String> names = new HashSet<>();
            for (Host h : that) names.add(h.name());
            if (p.charAt(0) == '!') {
                hosts.removeIf(h -> names.contains(h.name()));
            } else if (p.charAt(0) == '&') {
                hosts.removeIf(h -> !names.contains(h.name()));
            } else {
                Set<String> existing = new HashSet<>();
                for (Host h : hosts) existing.add(h.name());
                for (Host h : that) if (!existing.contains(h.name())) hosts.add(h);
            }
        }
        Map<String, Host> dedup = new LinkedHashMap<>();
        for (Host h : hosts) dedup.putIfAbsent(h.name(), h);
        return List.copyOf(dedup.values());
    }

    private List<Host> matchOne(Inventory inv, String term, java.util.function.Consumer<String> unmatched) {
        String p = term.charAt(0) == '&' || term.charAt(0) == '!' ? term.substring(1) : term;
        if (p.isEmpty()) throw MoatException.usage("empty term '" + term + "' in host pattern '" + text + "'");
        String expr = p;
        int[] sub = null;
        if (p.charAt(0) != '~') {
            Matcher m = SUBSCRIPT.matcher(p);
            if (m.matches()) {
                expr = m.group(1);
                if (m.group(2) != null) sub = new int[] {Integer.parseInt(m.group(2))};
                else sub = new int[] {Integer.parseInt(m.group(3)), m.group(5).isEmpty() ? -1 : Integer.parseInt(m.group(5))};
            }
        }
        List<Host> hosts = enumerate(inv, expr, term, term.charAt(0) == '!' ? null : unmatched);
        if (sub == null || hosts.isEmpty()) return hosts;
        int n = hosts.size();
        if (sub.length == 1) {
            int i = sub[0] < 0 ? n + sub[0] : sub[0];
            if (i < 0 || i >= n) throw noSubscript(term, n);
            return List.of(hosts.get(i));
        }
        int start = sub[0];
        int end = sub[1];
        if (end == 0) {
            if (start >= n) throw noSubscript(term, n);
            return List.of(hosts.get(start));
        }
        if (end == -1) end = n - 1;
        int from = Math.min(start, n);
        int to = Math.min(end + 1, n);
        return from >= to ? List.of() : List.copyOf(hosts.subList(from, to));
    }

    private MoatException noSubscript(String term, int n) {
        return MoatException.usage("host pattern '" + term + "' selects past the " + n + " host(s) there are");
    }

    private List<Host> enumerate(Inventory inv, String expr, String term, java.util.function.Consumer<String> unmatched) {
        Pattern re = compile(expr, term);
        List<Host> results = new ArrayList<>();
        boolean groupMatched = false;
        for (String g : inv.groups().keySet()) {
            if (re.matcher(g).lookingAt()) {
                groupMatched = true;
                results.addAll(inv.hostsOf(g));
            }
        }
        if (!groupMatched || expr.charAt(0) == '~' || expr.contains(".") || expr.contains("?")
                || expr.contains("*") || expr.contains("[")) {
            for (Host h : inv.hosts()) {
                if (re.matcher(h.name()).lookingAt()) results.add(h);
            }
        }
        if (results.isEmpty() && !groupMatched && !expr.equals("all")) {
            if (unmatched != null) {
                unmatched.accept(term.charAt(0) == '&' ? term.substring(1) : term);
                return results;
            }
            throw MoatException.usage("host pattern '" + term + "' matches no host or group in " + inv.describe()
                    + closeMatches(inv, expr));
        }
        return results;
    }

    private Pattern compile(String expr, String term) {
        if (expr.equals("~")) throw MoatException.usage("invalid host pattern '" + term + "': '~' needs a regular expression after it");
        try {
            return expr.charAt(0) == '~' ? Pattern.compile(expr.substring(1)) : Pattern.compile(Glob.toRegex(expr), Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw MoatException.usage("invalid host pattern '" + term + "': " + e.getDescription());
        }
    }

    private static String closeMatches(Inventory inv, String expr) {
        String word = expr.startsWith("~") ? expr.substring(1) : expr;
        Set<String> names = new LinkedHashSet<>(inv.groups().keySet());
        for (Host h : inv.hosts()) names.add(h.name());
        int limit = Math.max(2, word.length() / 3);
        List<String> close = names.stream()
                .filter(n -> distance(n, word) <= limit)
                .sorted(Comparator.comparingInt((String n) -> distance(n, word)).thenComparing(n -> n))
                .limit(3).toList();
        return close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)";
    }

    static int distance(String a, String b) {
        return dev.moat.EditDistance.of(a, b);
    }
}
